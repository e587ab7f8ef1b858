// Connections per client address (HTTP hardening): the count and its release.
#include "http/address_slots.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace gosline::http {
namespace {

TEST(AddressSlotsTest, OneAddressHoldsAtMostItsShareOthersAreUnaffected) {
  auto slots = AddressSlots::Create(2);
  auto a = slots->TryTake("192.0.2.1");
  auto b = slots->TryTake("192.0.2.1");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(slots->TryTake("192.0.2.1"), nullptr);
  EXPECT_NE(slots->TryTake("192.0.2.2"), nullptr);
  EXPECT_EQ(slots->held_by("192.0.2.1"), 2u);
  a.reset();  // the connection closed
  EXPECT_NE(slots->TryTake("192.0.2.1"), nullptr);
}

TEST(AddressSlotsTest, ForgetsAddressesWithoutConnectionsAndCountsAcrossThreads) {
  auto slots = AddressSlots::Create(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&slots, t] {
      for (int i = 0; i < 500; ++i) {
        auto s = slots->TryTake("10.0.0." + std::to_string(t));
        ASSERT_NE(s, nullptr);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(slots->addresses(), 0u);
  EXPECT_EQ(slots->held_by("10.0.0.1"), 0u);
}

}  // namespace
}  // namespace gosline::http
