// Config lookups and the business calendars built from the configuration.
#include "config/config.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace gosline {
namespace {

using namespace std::chrono;

// Wall-clock time at a centre with offset `utc_offset`, as a UTC instant.
Time Local(sys_days date, int hour, int minute, minutes utc_offset) {
  return Time(date) + hours(hour) + minutes(minute) - utc_offset;
}

constexpr const char* kTwoCentres = R"(service:
  name: Test line
  numbers: ["115"]
hours:
  - id: always
    weekly: "24/7"
  - id: office
    weekly: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00",
             fri: "09:00-17:00", sat: closed, sun: closed}
centres:
  - {id: federal, name: Federal, hours: always, utc_offset: "+03:00"}
  - {id: sibir, name: Siberia, hours: office, utc_offset: "+07:00"}
agencies:
  - {id: mintsifry, name: Минцифры}
topics:
  - {id: registration, names: {ru: Регистрация}, agency: mintsifry}
queues:
  - {id: federal-registration, topic: registration, centre: federal}
  - {id: sibir-registration, topic: registration, centre: sibir}
holidays:
  dates: ["2026-06-12"]
  working_days: ["2026-11-07"]
escalation: {business_days: 1, hours: office, centre: sibir}
)";

Config LoadTwoCentres() {
  ConfigLoadResult r = LoadConfigText(kTwoCentres, "two_centres.yaml");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.config;
}

TEST(Config, FindsEachKindById) {
  const Config c = LoadTwoCentres();
  ASSERT_NE(c.FindCentre("sibir"), nullptr);
  EXPECT_EQ(c.FindCentre("sibir")->utc_offset, minutes(7 * 60));
  EXPECT_EQ(c.FindHours("office")->id, "office");
  EXPECT_EQ(c.FindTopic("registration")->agency, "mintsifry");
  EXPECT_EQ(c.FindAgency("mintsifry")->name, "Минцифры");
  EXPECT_EQ(c.FindQueue("sibir-registration")->hours, "office");
  EXPECT_EQ(c.FindCentre("nowhere"), nullptr);
  EXPECT_EQ(c.FindTopic(""), nullptr);
  EXPECT_EQ(c.FindRegion("77"), nullptr);
}

TEST(Config, R2_QueueCalendarUsesItsCentresHoursAndTimeZone) {
  const Config c = LoadTwoCentres();
  const minutes novosibirsk(7 * 60);
  const BusinessCalendar sibir = c.QueueCalendar(*c.FindQueue("sibir-registration"));
  const sys_days wednesday = year(2026) / June / 10;
  EXPECT_TRUE(sibir.IsOpen(Local(wednesday, 9, 0, novosibirsk)));
  EXPECT_FALSE(sibir.IsOpen(Local(wednesday, 8, 59, novosibirsk)));
  EXPECT_FALSE(sibir.IsOpen(Local(wednesday, 18, 0, novosibirsk)));
}

TEST(Config, R2_WeeklyHoursCloseOnHolidaysButTwentyFourSevenDoesNot) {
  const Config c = LoadTwoCentres();
  const sys_days russia_day = year(2026) / June / 12;  // a Friday
  const BusinessCalendar sibir = c.QueueCalendar(*c.FindQueue("sibir-registration"));
  const BusinessCalendar federal = c.QueueCalendar(*c.FindQueue("federal-registration"));
  EXPECT_FALSE(sibir.IsOpen(Local(russia_day, 12, 0, minutes(7 * 60))));
  EXPECT_TRUE(federal.IsOpen(Local(russia_day, 12, 0, minutes(3 * 60))));
}

TEST(Config, R2_TransferredWorkingSaturdayGetsNormalWeekdayHours) {
  const Config c = LoadTwoCentres();
  const BusinessCalendar sibir = c.QueueCalendar(*c.FindQueue("sibir-registration"));
  const sys_days saturday = year(2026) / November / 7;
  // Monday..Thursday close at 18:00, Friday at 17:00: a normal weekday is 09-18.
  EXPECT_TRUE(sibir.IsOpen(Local(saturday, 17, 30, minutes(7 * 60))));
  EXPECT_FALSE(sibir.IsOpen(Local(saturday, 18, 0, minutes(7 * 60))));
  EXPECT_FALSE(sibir.IsOpen(Local(sys_days(year(2026) / November / 14), 12, 0, minutes(7 * 60))));
}

TEST(Config, EscalationCalendarUsesEscalationHoursAndCentre) {
  const Config c = LoadTwoCentres();
  const BusinessCalendar cal = c.EscalationCalendar();
  const minutes novosibirsk(7 * 60);
  // Thursday 17:00 before the Friday holiday: one business day (9 h) ends Monday 17:00.
  const Time due = cal.AddBusinessDays(Local(year(2026) / June / 11, 17, 0, novosibirsk), 1);
  EXPECT_EQ(due, Local(year(2026) / June / 15, 17, 0, novosibirsk));
}

TEST(Config, EscalationInDemoConfigSkipsNewYearHolidays) {
  ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok());
  const BusinessCalendar cal = r.config.EscalationCalendar();
  const minutes moscow(3 * 60);
  // Wednesday 30 Dec 2026, 17:00: 1 h that day; Dec 31 and Jan 1-8 are off,
  // Jan 9-10 are a weekend, so the other 8 h run Monday 11 Jan 09:00-17:00.
  const Time due = cal.AddBusinessDays(Local(year(2026) / December / 30, 17, 0, moscow), 1);
  EXPECT_EQ(due, Local(year(2027) / January / 11, 17, 0, moscow));
}

TEST(Config, UnknownHoursGiveAnAlwaysOpenCalendar) {
  const Config c;
  const BusinessCalendar cal = c.CalendarFor("nothing", minutes(180));
  EXPECT_TRUE(cal.IsOpen(Local(year(2026) / January / 1, 3, 0, minutes(180))));
}

}  // namespace
}  // namespace gosline
