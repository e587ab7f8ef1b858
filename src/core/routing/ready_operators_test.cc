#include "core/routing/ready_operators.h"

#include <gtest/gtest.h>

namespace gosline::routing {
namespace {

Time At(int s) { return FromUnixMillis(int64_t(s) * 1000); }

TEST(ReadyOperatorsTest, R12_HighestLevelFirstThenLongestIdle) {
  ReadyOperators ready(1);
  const uint32_t a = ready.AddMembership(0, /*op=*/0, 5);
  const uint32_t b = ready.AddMembership(0, 1, 5);
  const uint32_t c = ready.AddMembership(0, 2, 9);
  EXPECT_FALSE(ready.Best(0));
  ready.Insert(b, At(20));
  ready.Insert(a, At(10));  // out of time order: still before b
  EXPECT_EQ(ready.Best(0)->op, 0u);
  EXPECT_EQ(ready.Best(0)->ready_since, At(10));
  ready.Insert(c, At(30));  // a higher level beats a longer idle
  EXPECT_EQ(ready.Best(0)->op, 2u);
  EXPECT_EQ(ready.Best(0)->level, 9);
  EXPECT_EQ(ready.ready_count(0), 3u);
  ready.Remove(c);
  EXPECT_EQ(ready.Best(0)->op, 0u);
  ready.Remove(a);
  EXPECT_EQ(ready.Best(0)->op, 1u);
  ready.Remove(a);  // twice is harmless
  ready.Remove(b);
  EXPECT_FALSE(ready.Best(0));
  EXPECT_EQ(ready.ready_count(0), 0u);
}

TEST(ReadyOperatorsTest, R12_EqualTimesKeepInsertionOrderAndPoolsAreSeparate) {
  ReadyOperators ready(2);
  const uint32_t a = ready.AddMembership(0, 0, 3);
  const uint32_t b = ready.AddMembership(0, 1, 3);
  const uint32_t other = ready.AddMembership(1, 0, 3);
  ready.Insert(a, At(5));
  ready.Insert(b, At(5));
  EXPECT_EQ(ready.Best(0)->op, 0u);
  EXPECT_FALSE(ready.Best(1));
  ready.Insert(other, At(1));
  EXPECT_EQ(ready.Best(1)->op, 0u);
  EXPECT_EQ(ready.Best(0)->op, 0u);
  EXPECT_EQ(ready.pool_of(other), 1u);
  EXPECT_EQ(ready.level_of(other), 3);
}

}  // namespace
}  // namespace gosline::routing
