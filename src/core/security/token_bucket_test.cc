#include "core/security/token_bucket.h"

#include <gtest/gtest.h>

namespace gosline::security {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

TEST(TokenBucketTest, R25BurstThenRefillRate) {
  TokenBucket b({3, minutes(1)}, kT0);
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_FALSE(b.TryTake(kT0));
  EXPECT_FALSE(b.TryTake(kT0 + seconds(59)));
  EXPECT_TRUE(b.TryTake(kT0 + seconds(60)));
  EXPECT_FALSE(b.TryTake(kT0 + seconds(61)));
  // Refill never exceeds capacity, however long the pause.
  EXPECT_TRUE(b.IsFull(kT0 + minutes(600)));
  int taken = 0;
  for (int i = 0; i < 10; ++i) taken += b.TryTake(kT0 + minutes(600)) ? 1 : 0;
  EXPECT_EQ(taken, 3);
}

TEST(TokenBucketTest, RefusedAttemptsCostNothing) {
  TokenBucket b({1, minutes(1)}, kT0);
  ASSERT_TRUE(b.TryTake(kT0));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(b.TryTake(kT0 + seconds(i % 59)));
  EXPECT_TRUE(b.TryTake(kT0 + minutes(1)));
}

TEST(TokenBucketTest, ClockSteppingBackRefillsNothing) {
  TokenBucket b({1, minutes(1)}, kT0);
  ASSERT_TRUE(b.TryTake(kT0));
  EXPECT_FALSE(b.TryTake(kT0 - minutes(10)));
  EXPECT_FALSE(b.TryTake(kT0 + seconds(30)));
  EXPECT_TRUE(b.TryTake(kT0 + minutes(1)));
}

}  // namespace
}  // namespace gosline::security
