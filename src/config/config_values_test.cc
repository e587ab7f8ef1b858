#include "config/config_values.h"

#include <gtest/gtest.h>

namespace gosline::config_values {
namespace {

using std::chrono::minutes;

TEST(ConfigValues, R2_DailyHoursParsesOpeningAndClosing) {
  auto h = ParseDailyHours("09:00-18:00");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->open_minute, 9 * 60);
  EXPECT_EQ(h->close_minute, 18 * 60);

  auto all_day = ParseDailyHours("00:00-24:00");
  ASSERT_TRUE(all_day.has_value());
  EXPECT_EQ(all_day->close_minute, 24 * 60);

  auto closed = ParseDailyHours("closed");
  ASSERT_TRUE(closed.has_value());
  EXPECT_TRUE(closed->closed());
}

TEST(ConfigValues, R2_DailyHoursRejectsMalformedAndBackwardsHours) {
  for (const char* bad : {"9:00-18:00", "09:00-18:60", "09:00-25:00", "24:00-24:00", "18:00-09:00",
                          "09:00-09:00", "09:00 - 18:00", "09:00-18:00 ", "Closed", "", "09-18"}) {
    EXPECT_FALSE(ParseDailyHours(bad).has_value()) << bad;
  }
}

TEST(ConfigValues, UtcOffsetParsesSignHoursAndMinutes) {
  EXPECT_EQ(ParseUtcOffset("+03:00"), minutes(180));
  EXPECT_EQ(ParseUtcOffset("+10:00"), minutes(600));
  EXPECT_EQ(ParseUtcOffset("-03:30"), minutes(-210));
  EXPECT_EQ(ParseUtcOffset("+00:00"), minutes(0));
  EXPECT_EQ(ParseUtcOffset("+14:00"), minutes(14 * 60));
  for (const char* bad : {"+3", "03:00", "+03", "+03:60", "+15:00", "-13:00", "+3:00", "UTC+3"}) {
    EXPECT_FALSE(ParseUtcOffset(bad).has_value()) << bad;
  }
}

TEST(ConfigValues, DateMustBeARealCalendarDay) {
  using namespace std::chrono;
  EXPECT_EQ(ParseDate("2026-03-09"), sys_days(year(2026) / March / 9));
  EXPECT_EQ(ParseDate("2028-02-29"), sys_days(year(2028) / February / 29));
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "09.03.2026",
                          "2026-03-09T00:00", ""}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
}

TEST(ConfigValues, IntegerIsWholeDecimalOnly) {
  EXPECT_EQ(ParseInteger("8080"), 8080);
  EXPECT_EQ(ParseInteger("-5"), -5);
  for (const char* bad : {"", "80.0", "0x10", "+1", " 1", "1 ", "1e3", "99999999999999999999"}) {
    EXPECT_FALSE(ParseInteger(bad).has_value()) << bad;
  }
}

TEST(ConfigValues, R1_DialledNumbersAreDigitsOrPlusDigits) {
  EXPECT_TRUE(IsDialledNumber("88001007010"));
  EXPECT_TRUE(IsDialledNumber("115"));
  EXPECT_TRUE(IsDialledNumber("+74957274747"));
  for (const char* bad :
       {"", "+", "1", "8-800-100-70-10", "+7 495 727 47 47", "++7495", "1234567890123456", "11a"}) {
    EXPECT_FALSE(IsDialledNumber(bad)) << bad;
  }
}

TEST(ConfigValues, ServiceCodeRegionCodeLanguageAndId) {
  EXPECT_TRUE(IsServiceCode("0"));
  EXPECT_TRUE(IsServiceCode("1234"));
  EXPECT_FALSE(IsServiceCode("12345"));
  EXPECT_FALSE(IsServiceCode("1a"));
  EXPECT_FALSE(IsServiceCode(""));

  EXPECT_TRUE(IsRegionCode("77"));
  EXPECT_TRUE(IsRegionCode("02"));
  EXPECT_FALSE(IsRegionCode("00"));
  EXPECT_FALSE(IsRegionCode("7"));
  EXPECT_FALSE(IsRegionCode("777"));

  EXPECT_TRUE(IsLanguageCode("ru"));
  EXPECT_FALSE(IsLanguageCode("RU"));
  EXPECT_FALSE(IsLanguageCode("rus"));

  EXPECT_TRUE(IsIdentifier("24x7"));
  EXPECT_TRUE(IsIdentifier("federal-taxes_2"));
  EXPECT_FALSE(IsIdentifier("-x"));
  EXPECT_FALSE(IsIdentifier("a b"));
  EXPECT_FALSE(IsIdentifier("налоги"));
}

TEST(ConfigValues, CharacterColumnCountsCyrillicAsOneCharacterEach) {
  const std::string text = "a: 1\nname: Москва, code: x\n";
  // "x" is byte 27 of line 2 ("Москва" takes 12 bytes) and character 21.
  EXPECT_EQ(CharacterColumn(text, 2, 27), 21);
  EXPECT_EQ(CharacterColumn(text, 1, 4), 4);
  EXPECT_EQ(CharacterColumn(text, 9, 5), 5);  // no such line: unchanged
  EXPECT_EQ(CharacterColumn(text, 0, 0), 0);
}

TEST(ConfigValues, ClosestMatchSuggestsOnlyLikelyTypos) {
  const std::vector<std::string> keys = {"id", "names", "agency", "service_code", "regional"};
  EXPECT_EQ(ClosestMatch("servce_code", keys), "service_code");
  EXPECT_EQ(ClosestMatch("agnecy", keys), "agency");
  EXPECT_EQ(ClosestMatch("colour", keys), "");
  EXPECT_EQ(ClosestMatch("x", {}), "");
}

}  // namespace
}  // namespace gosline::config_values
