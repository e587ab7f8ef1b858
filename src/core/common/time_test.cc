#include "core/common/time.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

TEST(Time, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatIso8601(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromUnixMillis(1'764'063'000'123)), "2025-11-25T09:30:00.123Z");
}

TEST(Time, FormatsBeforeEpoch) {
  EXPECT_EQ(FormatIso8601(FromUnixMillis(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(Time, ParsesUtc) {
  auto t = ParseIso8601("2025-11-25T09:30:00.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(ToUnixMillis(*t), 1'764'063'000'123);
  auto no_frac = ParseIso8601("2025-11-25T09:30:00Z");
  ASSERT_TRUE(no_frac);
  EXPECT_EQ(ToUnixMillis(*no_frac), 1'764'063'000'000);
}

TEST(Time, ParsesOffsets) {
  // 12:30 in Moscow (+03:00) is 09:30 UTC.
  auto msk = ParseIso8601("2025-11-25T12:30:00+03:00");
  ASSERT_TRUE(msk);
  EXPECT_EQ(FormatIso8601(*msk), "2025-11-25T09:30:00.000Z");
  auto west = ParseIso8601("2025-11-24T23:00:00.5-10:30");
  ASSERT_TRUE(west);
  EXPECT_EQ(FormatIso8601(*west), "2025-11-25T09:30:00.500Z");
}

TEST(Time, ParsesDateAsMidnightUtc) {
  auto d = ParseIso8601("2026-01-01");
  ASSERT_TRUE(d);
  EXPECT_EQ(FormatIso8601(*d), "2026-01-01T00:00:00.000Z");
}

TEST(Time, FractionBeyondMillisecondsIsTruncated) {
  auto t = ParseIso8601("2025-11-25T09:30:00.123456789Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatIso8601(*t), "2025-11-25T09:30:00.123Z");
}

TEST(Time, RoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1'709'164'800'000},
                     int64_t{4'102'444'799'999}, int64_t{951'782'400'000}}) {
    auto t = ParseIso8601(FormatIso8601(FromUnixMillis(ms)));
    ASSERT_TRUE(t) << ms;
    EXPECT_EQ(ToUnixMillis(*t), ms);
  }
}

TEST(Time, RejectsMalformed) {
  for (const char* bad : {"", "2025", "2025-13-01", "2025-02-30", "2025-11-25T",
                          "2025-11-25T09:30:00", "2025-11-25T24:00:00Z", "2025-11-25T09:60:00Z",
                          "2025-11-25 09:30:00Z", "2025-11-25T09:30:00.Z", "2025-11-25T09:30:00+0300",
                          "2025-11-25T09:30:00+03:00x", "2025-11-25T09:30:00ZZ", "2025-1-25",
                          "+025-11-25", "2025-11-25T09:30:00+24:00", "2025-11-25x"}) {
    EXPECT_FALSE(ParseIso8601(bad)) << bad;
  }
}

// Found by fuzz/case_text_fuzzer: an offset moved the time past year 9999 in
// UTC, and FormatIso8601 wrote a year the parser then refused.
TEST(Time, RejectsOffsetsThatLeaveTheFourDigitYears) {
  EXPECT_FALSE(ParseIso8601("9999-12-31T23:59:59-23:59"));
  EXPECT_FALSE(ParseIso8601("0000-01-01T00:00:00+00:01"));
  const auto last = ParseIso8601("9999-12-31T23:59:59.999Z");
  ASSERT_TRUE(last);
  EXPECT_EQ(ParseIso8601(FormatIso8601(*last)), last);
  const auto first = ParseIso8601("0000-01-01T00:00:00Z");
  ASSERT_TRUE(first);
  EXPECT_EQ(ParseIso8601(FormatIso8601(*first)), first);
}

TEST(Time, LeapDay) {
  EXPECT_TRUE(ParseIso8601("2024-02-29"));
  EXPECT_FALSE(ParseIso8601("2025-02-29"));
}

}  // namespace
}  // namespace gosline
