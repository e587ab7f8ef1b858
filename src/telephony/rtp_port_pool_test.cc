#include "telephony/rtp_port_pool.h"

#include <algorithm>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

// Real sockets on loopback. A port some other process holds is skipped, so the
// tests assert on the ports handed out, not on how many there were.
constexpr uint16_t kMin = 41000;
constexpr uint16_t kMax = 41399;  // 200 even ports

TEST(RtpPortPoolTest, HandsOutEvenPortsOfTheRangeNeverTwice) {
  RtpPortPool pool("127.0.0.1", kMin, kMax);
  EXPECT_EQ(pool.available(), 200u);
  std::vector<BoundRtpSocket> taken;
  std::set<uint16_t> ports;
  for (int i = 0; i < 300; ++i) {
    Result<BoundRtpSocket> s = pool.Acquire();
    if (!s.ok()) break;
    taken.push_back(*s);
    EXPECT_TRUE(ports.insert(s->port).second) << "port " << s->port << " handed out twice";
    EXPECT_EQ(s->port % 2, 0);
    EXPECT_GE(s->port, kMin);
    EXPECT_LE(s->port, kMax);
  }
  EXPECT_GT(taken.size(), 0u);
  EXPECT_LE(taken.size(), 200u);
  EXPECT_FALSE(pool.Acquire().ok());
  for (BoundRtpSocket s : taken) pool.Release(s);
  EXPECT_EQ(pool.available(), 200u);
}

// R8, R25: callers can never take the operators' share, so at full load an
// operator's leg still gets a port and the waiting calls can be answered.
TEST(RtpPortPoolTest, CallersLeaveTheOperatorsShareFree) {
  RtpPortPool pool("127.0.0.1", kMin, kMax, 0.1);
  EXPECT_EQ(pool.operator_reserve(), 20u);
  EXPECT_EQ(RtpPortPool("127.0.0.1", kMin, kMin + 3, 0.1).operator_reserve(), 1u) << "at least one";
  EXPECT_EQ(RtpPortPool("127.0.0.1", kMin, kMin + 1, 0.5).operator_reserve(), 0u) << "never all";
  std::vector<BoundRtpSocket> taken;
  for (int i = 0; i < 300; ++i) {
    Result<BoundRtpSocket> s = pool.AcquireForCaller();
    if (!s.ok()) {
      EXPECT_EQ(s.status().code(), Status::Code::kResourceExhausted);
      break;
    }
    taken.push_back(*s);
  }
  EXPECT_EQ(pool.available(), 20u) << "callers stop with the reserve free";
  int operator_legs = 0;
  for (int i = 0; i < 20; ++i) {
    Result<BoundRtpSocket> s = pool.Acquire();
    if (!s.ok()) break;
    taken.push_back(*s);
    ++operator_legs;
  }
  EXPECT_GT(operator_legs, 0) << "an operator's leg gets a port at full load";
  for (BoundRtpSocket s : taken) pool.Release(s);
  EXPECT_EQ(pool.available(), 200u);
}

TEST(RtpPortPoolTest, AReleasedPortCanBeTakenAgain) {
  for (uint16_t port = kMin; port < kMax; port += 2) {
    RtpPortPool pool("127.0.0.1", port, port + 1);  // one port
    Result<BoundRtpSocket> first = pool.Acquire();
    if (!first.ok()) continue;  // held by another process: try the next
    EXPECT_FALSE(pool.Acquire().ok());
    pool.Release(*first);
    Result<BoundRtpSocket> again = pool.Acquire();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->port, port);
    pool.Release(*again);
    return;
  }
  FAIL() << "no free port in " << kMin << "-" << kMax;
}

// R22: the next call's port cannot be predicted from the last one. Taken in
// order, ten ports would come out ascending; at random that happens once in
// 10! (3.6 million) runs.
TEST(RtpPortPoolTest, PortsAreNotHandedOutInOrder) {
  RtpPortPool pool("127.0.0.1", kMin, kMax);
  std::vector<BoundRtpSocket> taken;
  std::vector<uint16_t> ports;
  for (int i = 0; i < 10; ++i) {
    Result<BoundRtpSocket> s = pool.Acquire();
    ASSERT_TRUE(s.ok());
    taken.push_back(*s);
    ports.push_back(s->port);
  }
  EXPECT_FALSE(std::is_sorted(ports.begin(), ports.end()));
  for (BoundRtpSocket s : taken) pool.Release(s);
}

}  // namespace
}  // namespace gosline::telephony
