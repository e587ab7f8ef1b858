#include "core/calendar/business_calendar.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

using namespace std::chrono;

constexpr minutes kMsk{180};

sys_days Day(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

// A Moscow wall-clock time as a UTC instant.
Time Msk(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return Time(Day(y, m, d)) + hours{hh} + minutes{mm} - kMsk;
}

WeeklyHours NineToSix() {
  WeeklyHours w;
  for (int i = 0; i < 5; ++i) w.days[i] = DailyHours{9 * 60, 18 * 60};
  return w;  // Saturday and Sunday closed
}

// Russian production calendar excerpts: New Year holidays 2026, and the 2025
// November transfer (Saturday 1 Nov worked, 3-4 Nov off).
std::set<sys_days> Holidays() {
  std::set<sys_days> h;
  for (unsigned d = 1; d <= 8; ++d) h.insert(Day(2026, 1, d));
  h.insert(Day(2025, 11, 3));
  h.insert(Day(2025, 11, 4));
  return h;
}

BusinessCalendar Federal() {
  // The transferred Saturday is a shortened day: 09:00-17:00.
  return BusinessCalendar(NineToSix(), kMsk, Holidays(), {Day(2025, 11, 1)},
                          DailyHours{9 * 60, 17 * 60});
}

TEST(BusinessCalendar, R2_OpenOnlyWithinWeekdayHours) {
  const auto cal = Federal();
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 24, 9)));       // Monday opening minute
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 24, 17, 59)));
  EXPECT_FALSE(cal.IsOpen(Msk(2025, 11, 24, 8, 59)));
  EXPECT_FALSE(cal.IsOpen(Msk(2025, 11, 24, 18)));     // closing is exclusive
  EXPECT_FALSE(cal.IsOpen(Msk(2025, 11, 22, 12)));     // Saturday
  EXPECT_FALSE(cal.IsOpen(Msk(2025, 11, 23, 12)));     // Sunday
}

TEST(BusinessCalendar, R2_UsesLocalTimeNotUtc) {
  // 07:00 UTC is 10:00 in Moscow: open, though 07:00 is before opening.
  EXPECT_TRUE(Federal().IsOpen(Time(Day(2025, 11, 24)) + hours{7}));
  // Vladivostok (+10): Monday 09:00 local is Sunday 23:00 UTC.
  BusinessCalendar vvo(NineToSix(), minutes{600}, {}, {}, {});
  EXPECT_TRUE(vvo.IsOpen(Time(Day(2025, 11, 23)) + hours{23}));
  EXPECT_FALSE(vvo.IsOpen(Time(Day(2025, 11, 24)) + hours{9}));  // 19:00 local
}

TEST(BusinessCalendar, R2_HolidaysAreClosedAndNotWorkingDays) {
  const auto cal = Federal();
  EXPECT_FALSE(cal.IsOpen(Msk(2026, 1, 5, 12)));  // Monday in the New Year holidays
  EXPECT_FALSE(cal.IsWorkingDay(Day(2026, 1, 5)));
  EXPECT_FALSE(cal.IsWorkingDay(Day(2026, 1, 1)));
  EXPECT_TRUE(cal.IsWorkingDay(Day(2026, 1, 9)));  // Friday after
  EXPECT_TRUE(cal.IsOpen(Msk(2026, 1, 9, 9)));
}

TEST(BusinessCalendar, R2_TransferredSaturdayWorksWithItsOwnHours) {
  const auto cal = Federal();
  EXPECT_TRUE(cal.IsWorkingDay(Day(2025, 11, 1)));
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 1, 9)));
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 1, 16, 59)));
  EXPECT_FALSE(cal.IsOpen(Msk(2025, 11, 1, 17)));  // shortened day
  EXPECT_FALSE(cal.IsWorkingDay(Day(2025, 11, 8)));  // an ordinary Saturday
}

TEST(BusinessCalendar, R16_FridayEveningEscalationIsDueMondayAtSameTime) {
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 21, 17), 1), Msk(2025, 11, 24, 17));
}

TEST(BusinessCalendar, R16_WeekendEscalationIsDueMondayClosing) {
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 22, 11, 30), 1), Msk(2025, 11, 24, 18));
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 23, 23, 59), 1), Msk(2025, 11, 24, 18));
}

TEST(BusinessCalendar, R16_BeforeOpeningCountsFromOpening) {
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 24, 7), 1), Msk(2025, 11, 24, 18));
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 24, 18), 1), Msk(2025, 11, 25, 18));
}

TEST(BusinessCalendar, R16_MidDayEscalationIsDueNextDaySameTime) {
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 25, 10, 15), 1), Msk(2025, 11, 26, 10, 15));
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 11, 24, 10), 5), Msk(2025, 12, 1, 10));
}

TEST(BusinessCalendar, R16_EscalationAcrossNewYearHolidays) {
  // Wednesday 31 Dec 15:00: 3 h that day, then 1-8 January are off,
  // the remaining 6 h run on Friday 9 January from 09:00.
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2025, 12, 31, 15), 1), Msk(2026, 1, 9, 15));
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2026, 1, 3, 12), 1), Msk(2026, 1, 9, 18));
  EXPECT_EQ(Federal().AddBusinessDays(Msk(2026, 1, 3, 12), 2), Msk(2026, 1, 12, 18));
}

TEST(BusinessCalendar, R16_TransferredSaturdayCountsAndHolidaysAfterItDoNot) {
  const auto cal = Federal();
  // Friday 31 Oct 16:00: 2 h Friday, 7 h of the 8 h Saturday.
  EXPECT_EQ(cal.AddBusinessDays(Msk(2025, 10, 31, 16), 1), Msk(2025, 11, 1, 16));
  // Saturday 1 Nov 12:00: 5 h Saturday, 3-4 Nov off, 4 h on Wednesday 5 Nov.
  EXPECT_EQ(cal.AddBusinessDays(Msk(2025, 11, 1, 12), 1), Msk(2025, 11, 5, 13));
}

TEST(BusinessCalendar, R16_AllDayHoursCountWholeWorkingDaysOnly) {
  BusinessCalendar cal(WeeklyHours::AllDay(), kMsk, Holidays(), {}, {});
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 22, 3)));  // 24/7 lines answer on Saturday
  EXPECT_FALSE(cal.IsWorkingDay(Day(2025, 11, 22)));
  // Friday 17:00 + 24 h of working-day time = Monday 17:00.
  EXPECT_EQ(cal.AddBusinessDays(Msk(2025, 11, 21, 17), 1), Msk(2025, 11, 24, 17));
  EXPECT_EQ(cal.AddBusinessDays(Msk(2025, 11, 24, 17), 1), Msk(2025, 11, 25, 17));
  EXPECT_EQ(cal.AddBusinessDays(Msk(2025, 12, 31, 15), 1), Msk(2026, 1, 9, 15));
}

TEST(BusinessCalendar, NextOpen) {
  const auto cal = Federal();
  const Time inside = Msk(2025, 11, 24, 12, 34);
  EXPECT_EQ(cal.NextOpen(inside), inside);
  EXPECT_EQ(cal.NextOpen(Msk(2025, 11, 24, 6)), Msk(2025, 11, 24, 9));
  EXPECT_EQ(cal.NextOpen(Msk(2025, 11, 24, 18)), Msk(2025, 11, 25, 9));
  EXPECT_EQ(cal.NextOpen(Msk(2025, 11, 21, 19)), Msk(2025, 11, 24, 9));
  EXPECT_EQ(cal.NextOpen(Msk(2025, 12, 31, 20)), Msk(2026, 1, 9, 9));
  EXPECT_EQ(cal.NextOpen(Msk(2025, 10, 31, 18)), Msk(2025, 11, 1, 9));  // working Saturday
}

TEST(BusinessCalendar, ZeroOrNegativeDaysIsNoDelay) {
  const Time t = Msk(2025, 11, 22, 12);
  EXPECT_EQ(Federal().AddBusinessDays(t, 0), t);
  EXPECT_EQ(Federal().AddBusinessDays(t, -3), t);
}

TEST(BusinessCalendar, NeverOpenCalendarStillAnswers) {
  BusinessCalendar closed(WeeklyHours{}, kMsk, {}, {}, {});
  const Time t = Msk(2025, 11, 24, 12);
  EXPECT_FALSE(closed.IsOpen(t));
  EXPECT_EQ(closed.NextOpen(t), t);
  EXPECT_EQ(closed.AddBusinessDays(t, 1), t);

  // Weekday hours, but every day of the next ten years a holiday: the scan
  // is bounded and falls back to calendar days.
  std::set<sys_days> all_off;
  for (int i = 0; i < 4000; ++i) all_off.insert(Day(2025, 11, 24) + days{i});
  BusinessCalendar holidays_only(NineToSix(), kMsk, all_off, {}, {});
  EXPECT_EQ(holidays_only.AddBusinessDays(t, 2), t + days{2});
  EXPECT_EQ(holidays_only.NextOpen(t), t);
}

TEST(BusinessCalendar, OutOfRangeMinutesAreClamped) {
  WeeklyHours w;
  for (auto& d : w.days) d = DailyHours{-100, 5000};
  BusinessCalendar cal(w, kMsk, {}, {}, {});
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 24, 0)));
  EXPECT_TRUE(cal.IsOpen(Msk(2025, 11, 24, 23, 59)));
}

TEST(BusinessCalendar, DefaultIsAllDayUtc) {
  BusinessCalendar cal;
  EXPECT_TRUE(cal.IsOpen(Time(Day(2025, 11, 22))));
  // Saturday: the next working time is all of Monday.
  EXPECT_EQ(cal.AddBusinessDays(Time(Day(2025, 11, 22)), 1), Time(Day(2025, 11, 25)));
}

}  // namespace
}  // namespace gosline
