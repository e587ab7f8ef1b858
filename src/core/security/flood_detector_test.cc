#include "core/security/flood_detector.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kT0 = FromUnixMillis(1'760'000'000'000);
const std::string kNum = "+79161234567";

TEST(FloodDetectorTest, R25ManyShortCallsFlagTheNumber) {
  FloodDetector f;
  for (int i = 0; i < 4; ++i) f.OnCallEnded(kNum, seconds(2), kT0 + minutes(i));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(4)), FloodKind::kNone);
  f.OnCallEnded(kNum, seconds(2), kT0 + minutes(4));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(4)), FloodKind::kShortCalls);
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(4) + hours(1)), FloodKind::kNone);
}

TEST(FloodDetectorTest, LongCallsAndSpreadOutCallsAreNormal) {
  FloodDetector f;
  // A citizen who talks for minutes, many times a day.
  for (int i = 0; i < 30; ++i) f.OnCallEnded(kNum, minutes(3), kT0 + minutes(10 * i));
  // Short calls, but one every 3 minutes: never 5 within 10 minutes.
  for (int i = 0; i < 30; ++i) f.OnCallEnded(kNum, seconds(3), kT0 + minutes(3 * i));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(90)), FloodKind::kNone);
}

TEST(FloodDetectorTest, R25OneNumberFromManySourcesIsFlagged) {
  FloodDetector f;
  // The same trunk again and again is fine.
  for (int i = 0; i < 50; ++i) f.OnAttempt(kNum, "trunk-a", kT0 + seconds(i));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(1)), FloodKind::kNone);
  f.OnAttempt(kNum, "trunk-b", kT0 + minutes(1));
  f.OnAttempt(kNum, "203.0.113.5", kT0 + minutes(2));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(2)), FloodKind::kNone);
  f.OnAttempt(kNum, "198.51.100.77", kT0 + minutes(3));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(3)), FloodKind::kManySources);
  EXPECT_STREQ(FloodKindName(FloodKind::kManySources), "many_sources");
}

TEST(FloodDetectorTest, SourcesOutsideTheWindowAreForgotten) {
  FloodDetector f;
  for (int i = 0; i < 20; ++i) f.OnAttempt(kNum, "src" + std::to_string(i), kT0 + minutes(4 * i));
  EXPECT_EQ(f.Flagged(kNum, kT0 + minutes(80)), FloodKind::kNone);
}

TEST(FloodDetectorTest, HostileSourcesAndNumbersStayBounded) {
  FloodPolicy p;
  p.max_tracked = 500;
  FloodDetector f(p);
  std::string long_source(100'000, 's');
  for (int i = 0; i < 5000; ++i) {
    f.OnAttempt("+7916" + std::to_string(1000000 + i), long_source, kT0);
  }
  EXPECT_LE(f.tracked(), 500u);
  f.Sweep(kT0 + hours(2));
  EXPECT_EQ(f.tracked(), 0u);
}

}  // namespace
}  // namespace gosline::security
