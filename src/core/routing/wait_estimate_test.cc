#include "core/routing/wait_estimate.h"

#include <gtest/gtest.h>

namespace gosline::routing {
namespace {

using namespace std::chrono_literals;

TEST(WaitEstimateTest, R11_FreeOperatorsMeanNoWait) {
  EXPECT_EQ(EstimateWait(0, 1, 1, 300s), Duration(0));
  EXPECT_EQ(EstimateWait(2, 3, 5, 300s), Duration(0));
}

TEST(WaitEstimateTest, R11_WaitGrowsWithCallsAheadAndShrinksWithOperators) {
  EXPECT_EQ(EstimateWait(0, 0, 1, 300s), Duration(300s));  // the next call to finish
  EXPECT_EQ(EstimateWait(1, 0, 1, 300s), Duration(600s));
  EXPECT_EQ(EstimateWait(3, 0, 4, 300s), Duration(300s));
  EXPECT_EQ(EstimateWait(5, 2, 4, 120s), Duration(120s));  // 2 free take 2 of the 5 ahead
}

TEST(WaitEstimateTest, R11_NobodyWorkingMeansNoBound) {
  EXPECT_EQ(EstimateWait(0, 0, 0, 300s), std::nullopt);
}

TEST(MovingAverageTest, R13_FollowsRecentSamples) {
  MovingAverage avg;
  EXPECT_EQ(avg.value(), std::nullopt);
  avg.Add(100s);
  EXPECT_EQ(avg.value(), Duration(100s));
  avg.Add(200s);
  EXPECT_EQ(avg.value(), Duration(110s));
  for (int i = 0; i < 200; ++i) avg.Add(200s);
  EXPECT_NEAR(double(avg.value()->count()), 200'000.0, 1.0);
}

}  // namespace
}  // namespace gosline::routing
