#include "core/routing/timer_queue.h"

#include <gtest/gtest.h>

namespace gosline::routing {
namespace {

Time At(int s) { return FromUnixMillis(int64_t(s) * 1000); }

std::vector<uint32_t> PopAll(TimerQueue& q, Time now) {
  std::vector<uint32_t> targets;
  while (auto t = q.PopDue(now)) targets.push_back(t->target);
  return targets;
}

TEST(TimerQueueTest, FiresAcrossLanesInTimeOrderThenSetOrder) {
  TimerQueue q;
  const uint32_t a = q.AddLane();
  const uint32_t b = q.AddLane();
  q.Add(a, At(10), TimerKind::kNoAnswer, 1, 0);
  q.Add(b, At(5), TimerKind::kWrapUpEnd, 2, 0);
  q.Add(a, At(20), TimerKind::kNoAnswer, 3, 0);
  q.Add(b, At(20), TimerKind::kWrapUpEnd, 4, 0);  // same time as 3, set later
  q.Add(b, At(30), TimerKind::kWrapUpEnd, 5, 0);
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(PopAll(q, At(4)), std::vector<uint32_t>{});
  EXPECT_EQ(PopAll(q, At(20)), (std::vector<uint32_t>{2, 1, 3, 4}));
  EXPECT_EQ(PopAll(q, At(100)), (std::vector<uint32_t>{5}));
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueueTest, DeadlinesOutOfLaneOrderStillFireInTime) {
  TimerQueue q;
  const uint32_t lane = q.AddLane();
  q.Add(lane, At(100), TimerKind::kPromote, 1, 0);
  q.Add(lane, At(50), TimerKind::kPromote, 2, 0);   // earlier than the lane's last
  q.Add(lane, At(120), TimerKind::kPromote, 3, 0);
  q.Add(lane, At(50), TimerKind::kPromote, 4, 0);
  const std::optional<Timer> first = q.PopDue(At(1000));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->target, 2u);
  EXPECT_EQ(first->due, At(50));
  EXPECT_EQ(PopAll(q, At(1000)), (std::vector<uint32_t>{4, 1, 3}));
}

}  // namespace
}  // namespace gosline::routing
