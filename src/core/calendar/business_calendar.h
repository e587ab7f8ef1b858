// Business time: weekly working hours, public holidays and transferred working
// days (Russia moves days off: a Saturday can become a working day). Used for
// due times (R16: escalations are due within one business day) and queue hours (R2).
// Pure: all instants are passed in; the UTC offset of the centre is fixed
// (Russian regions have had no daylight saving since 2014).
#pragma once

#include <array>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "core/common/time.h"

namespace gosline {

struct DailyHours {
  // Minutes from local midnight; open == close means closed that day;
  // open 0 and close 1440 means all day.
  int open_minute = 0;
  int close_minute = 0;
  bool closed() const { return open_minute >= close_minute; }
};

struct WeeklyHours {
  std::array<DailyHours, 7> days{};  // index 0 = Monday ... 6 = Sunday
  static WeeklyHours AllDay();       // 24/7
};

class BusinessCalendar {
 public:
  BusinessCalendar() = default;
  BusinessCalendar(WeeklyHours hours, std::chrono::minutes utc_offset,
                   std::set<std::chrono::sys_days> holidays,
                   std::set<std::chrono::sys_days> extra_working_days,
                   DailyHours extra_working_day_hours);

  // Is the centre open at instant t? Holidays are closed; transferred working
  // days use extra_working_day_hours (a normal weekday's hours if those are closed).
  bool IsOpen(Time t) const;
  // Is the local date a working day: Monday..Friday with hours, or a
  // transferred working day, and not a holiday. Weekends never are, even
  // where the hours are 24/7: business time is counted on working days only.
  bool IsWorkingDay(std::chrono::sys_days local_date) const;
  // Adds `days` business days of working time: the working-time length of a
  // normal day times `days`, counted only while open. Escalating on Friday
  // 17:00 with 09-18 hours gives Monday 17:00; on Saturday gives Monday 18:00.
  // days <= 0 gives `from`. Scans at most ten years ahead; with no working
  // time in that span it falls back to `days` calendar days.
  Time AddBusinessDays(Time from, int days) const;
  // The next instant >= t when the centre is open (t itself if open; t as
  // well when it is not open at all within ten years).
  Time NextOpen(Time t) const;

 private:
  DailyHours HoursOn(std::chrono::sys_days local_date) const;
  // The hours of a normal working day: the longest open span of Monday..Friday.
  DailyHours NormalDayHours() const;

  WeeklyHours hours_ = WeeklyHours::AllDay();
  std::chrono::minutes utc_offset_{0};
  std::set<std::chrono::sys_days> holidays_;
  std::set<std::chrono::sys_days> extra_working_days_;
  DailyHours extra_working_day_hours_{};
};

}  // namespace gosline
