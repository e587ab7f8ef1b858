#include "core/routing/waiting_calls.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace gosline::routing {
namespace {

TEST(CallKeyTest, R9_OrdersByTierThenVirtualArrivalThenArrival) {
  const CallKey head = CallKey::Make(Tier::kHead, 5'000, 9, 1);
  const CallKey early = CallKey::Make(Tier::kNormal, -60'000, 7, 2);  // before 1970: still ordered
  const CallKey late = CallKey::Make(Tier::kNormal, 1'767'225'600'000, 3, 3);
  const CallKey same_time_later = CallKey::Make(Tier::kNormal, 1'767'225'600'000, 4, 0);
  EXPECT_TRUE(head < early);
  EXPECT_TRUE(early < late);
  EXPECT_TRUE(late < same_time_later);
  EXPECT_EQ(late.tier(), Tier::kNormal);
  EXPECT_EQ(late.order_ms(), 1'767'225'600'000);
  EXPECT_EQ(early.order_ms(), -60'000);
  EXPECT_EQ(late.seq(), 3u);
  EXPECT_EQ(late.slot(), 3u);
  EXPECT_EQ(CallKey::Make(Tier::kOverdue, 1, 1'000'000'000, (1u << 24) - 1).slot(), (1u << 24) - 1);
}

// Random inserts and erases, checked against std::set at every step.
TEST(WaitingCallsTest, R12_BehavesAsAnOrderedSetWithPositions) {
  std::mt19937 rng(11);
  WaitingCalls calls;
  std::set<CallKey> model;
  uint64_t seq = 0;
  for (int step = 0; step < 20'000; ++step) {
    const bool insert = model.empty() || rng() % 100 < 55;
    if (insert) {
      // Mostly increasing times (joining at the back), some anywhere.
      const int64_t t = rng() % 4 == 0 ? int64_t(rng() % 100'000) : int64_t(step) * 10;
      const CallKey k = CallKey::Make(rng() % 10 == 0 ? Tier::kHead : Tier::kNormal, t, seq++,
                                      uint32_t(rng() % 1000));
      calls.Insert(k);
      model.insert(k);
    } else {
      auto it = model.begin();
      std::advance(it, long(rng() % 4 == 0 ? 0 : rng() % model.size()));  // often the front
      EXPECT_TRUE(calls.Erase(*it));
      model.erase(it);
    }
    ASSERT_EQ(calls.size(), model.size());
    if (!model.empty()) {
      ASSERT_TRUE(calls.Front() != nullptr);
      ASSERT_TRUE(*calls.Front() == *model.begin());
    }
    if (step % 97 == 0 && !model.empty()) {
      auto it = model.begin();
      const size_t pos = rng() % model.size();
      std::advance(it, long(pos));
      ASSERT_EQ(calls.CountBefore(*it), pos);
    }
  }
  std::vector<CallKey> seen;
  calls.ForEach([&](const CallKey& k) { seen.push_back(k); });
  EXPECT_TRUE(std::equal(seen.begin(), seen.end(), model.begin(), model.end()));
  EXPECT_FALSE(calls.Erase(CallKey::Make(Tier::kNormal, -1, seq + 1, 0)));  // never there
}

TEST(WaitingCallsTest, R12_EmptyListHasNoFront) {
  WaitingCalls calls;
  EXPECT_EQ(calls.Front(), nullptr);
  EXPECT_EQ(calls.CountBefore(CallKey::Make(Tier::kNormal, 0, 0, 0)), 0u);
  calls.Insert(CallKey::Make(Tier::kNormal, 0, 0, 0));
  EXPECT_TRUE(calls.Erase(CallKey::Make(Tier::kNormal, 0, 0, 0)));
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(calls.Front(), nullptr);
}

}  // namespace
}  // namespace gosline::routing
