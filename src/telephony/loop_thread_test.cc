// The loops' "on my loop thread" checks, and the SIP endpoint's Post racing
// its Stop: posted work runs on the loop thread, a call from another thread
// aborts (debug builds), a Post after Stop is dropped.
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>

#include <gtest/gtest.h>

#include "telephony/media_loop.h"
#include "telephony/sip_endpoint.h"

namespace gosline::telephony {
namespace {

constexpr auto kLimit = std::chrono::seconds(10);

// Answers nothing: these tests never place a call.
class NoCalls : public SipEndpoint::Handler {
 public:
  SipAnswer OnInvite(const InviteRequest&) override {
    return SipAnswer::Reject(503, "Service Unavailable", CallEndReason::kError);
  }
  SipAnswer OnReinvite(LegId, const std::string&, const std::string&) override {
    return SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kError);
  }
  void OnAnswered(LegId) override {}
  void OnDigit(LegId, char) override {}
  void OnEnded(LegId, CallEndReason, int) override {}
};

// A UDP and TCP port free on 127.0.0.1 a moment ago.
uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(MediaLoopThread, PostedWorkRunsOnTheLoopThreadAndMayWatch) {
  MediaLoop loop;
  ASSERT_TRUE(loop.Start([](uint64_t) {}).ok());
  EXPECT_FALSE(loop.IsOnLoopThread());
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::promise<bool> watched;
  loop.Post([&] {
    const bool on_loop = loop.IsOnLoopThread();
    const bool ok = loop.Watch(fd, [] {}).ok();
    loop.Unwatch(fd);
    watched.set_value(on_loop && ok);
  });
  std::future<bool> result = watched.get_future();
  ASSERT_EQ(result.wait_for(kLimit), std::future_status::ready);
  EXPECT_TRUE(result.get());
  loop.Stop();
  close(fd);
}

TEST(SipEndpointThread, PostedWorkRunsOnTheSipThread) {
  NoCalls handler;
  SipEndpointOptions options;
  options.port = FreePort();
  options.transports = {"udp"};
  SipEndpoint endpoint(options, handler);
  ASSERT_TRUE(endpoint.Start().ok());
  EXPECT_FALSE(endpoint.IsOnLoopThread());
  std::promise<bool> ran;
  endpoint.Post([&] {
    endpoint.Hangup(12345, CallEndReason::kServerHangup);  // no such leg: nothing to do
    ran.set_value(endpoint.IsOnLoopThread());
  });
  std::future<bool> result = ran.get_future();
  ASSERT_EQ(result.wait_for(kLimit), std::future_status::ready);
  EXPECT_TRUE(result.get());
  endpoint.Stop();
}

TEST(SipEndpointThread, PostAfterStopIsDroppedNotQueued) {
  NoCalls handler;
  SipEndpointOptions options;
  options.port = FreePort();
  options.transports = {"udp"};
  SipEndpoint endpoint(options, handler);
  ASSERT_TRUE(endpoint.Start().ok());
  endpoint.Stop();
  // A late task (a contact-centre decision arriving after the line stopped):
  // released at once, so what it holds is not kept until the endpoint goes.
  auto held = std::make_shared<int>(1);
  bool ran = false;
  endpoint.Post([held, &ran] { ran = true; });
  EXPECT_EQ(held.use_count(), 1);
  EXPECT_FALSE(ran);
}

#ifndef NDEBUG
TEST(LoopThreadDeathTest, MediaLoopWatchOffTheLoopThreadAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MediaLoop loop;
  ASSERT_TRUE(loop.Start([](uint64_t) {}).ok());
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  EXPECT_DEATH((void)loop.Watch(fd, [] {}), "MediaLoop::Watch.* called off its loop thread");
  loop.Stop();
  close(fd);
}

TEST(LoopThreadDeathTest, SipHangupOffTheSipThreadAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  NoCalls handler;
  SipEndpointOptions options;
  options.port = FreePort();
  options.transports = {"udp"};
  SipEndpoint endpoint(options, handler);
  ASSERT_TRUE(endpoint.Start().ok());
  EXPECT_DEATH(endpoint.Hangup(1, CallEndReason::kServerHangup),
               "SipEndpoint::Hangup.* called off its loop thread");
  endpoint.Stop();
}
#endif

}  // namespace
}  // namespace gosline::telephony
