#include "core/calendar/business_calendar.h"

#include <algorithm>

namespace gosline {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr int kMinutesPerDay = 24 * 60;
// Every scan over dates stops after ten years: a calendar with no open time
// (misconfigured, or all holidays) must not hang a request.
constexpr int kMaxDaysScanned = 3660;

DailyHours Clamp(DailyHours h) {
  h.open_minute = std::clamp(h.open_minute, 0, kMinutesPerDay);
  h.close_minute = std::clamp(h.close_minute, 0, kMinutesPerDay);
  return h;
}

int SpanMinutes(const DailyHours& h) { return h.closed() ? 0 : h.close_minute - h.open_minute; }

// 0 = Monday ... 6 = Sunday, as WeeklyHours::days is indexed.
unsigned WeekdayIndex(sys_days date) { return std::chrono::weekday(date).iso_encoding() - 1; }

}  // namespace

WeeklyHours WeeklyHours::AllDay() {
  WeeklyHours w;
  for (auto& d : w.days) d = DailyHours{0, kMinutesPerDay};
  return w;
}

BusinessCalendar::BusinessCalendar(WeeklyHours hours, std::chrono::minutes utc_offset,
                                   std::set<std::chrono::sys_days> holidays,
                                   std::set<std::chrono::sys_days> extra_working_days,
                                   DailyHours extra_working_day_hours)
    : hours_(hours),
      utc_offset_(utc_offset),
      holidays_(std::move(holidays)),
      extra_working_days_(std::move(extra_working_days)),
      extra_working_day_hours_(Clamp(extra_working_day_hours)) {
  for (auto& d : hours_.days) d = Clamp(d);
}

DailyHours BusinessCalendar::HoursOn(sys_days local_date) const {
  if (holidays_.contains(local_date)) return DailyHours{};
  if (extra_working_days_.contains(local_date)) {
    if (!extra_working_day_hours_.closed()) return extra_working_day_hours_;
    // A transferred working day without its own hours works like a normal weekday.
    return NormalDayHours();
  }
  return hours_.days[WeekdayIndex(local_date)];
}

DailyHours BusinessCalendar::NormalDayHours() const {
  DailyHours best{};
  for (unsigned i = 0; i < 5; ++i) {
    if (SpanMinutes(hours_.days[i]) > SpanMinutes(best)) best = hours_.days[i];
  }
  return best;
}

bool BusinessCalendar::IsWorkingDay(sys_days local_date) const {
  if (holidays_.contains(local_date)) return false;
  if (extra_working_days_.contains(local_date)) return true;
  const unsigned wd = WeekdayIndex(local_date);
  return wd < 5 && !hours_.days[wd].closed();
}

bool BusinessCalendar::IsOpen(Time t) const {
  const Time local = t + utc_offset_;
  const sys_days date = std::chrono::floor<days>(local);
  const DailyHours h = HoursOn(date);
  if (h.closed()) return false;
  const Duration since_midnight = local - Time(date);
  return since_midnight >= minutes(h.open_minute) && since_midnight < minutes(h.close_minute);
}

Time BusinessCalendar::NextOpen(Time t) const {
  const sys_days first = std::chrono::floor<days>(t + utc_offset_);
  for (int i = 0; i < kMaxDaysScanned; ++i) {
    const sys_days date = first + days(i);
    const DailyHours h = HoursOn(date);
    if (h.closed()) continue;
    const Time open = Time(date) + minutes(h.open_minute) - utc_offset_;
    const Time close = Time(date) + minutes(h.close_minute) - utc_offset_;
    if (t < close) return std::max(t, open);
  }
  return t;  // never open within the scan horizon: nothing better to say
}

Time BusinessCalendar::AddBusinessDays(Time from, int days_to_add) const {
  // For 24/7 hours the normal day is 24 h, counted on working days only.
  const int day_minutes = SpanMinutes(NormalDayHours());
  if (days_to_add <= 0 || day_minutes == 0) return from;
  Duration remaining = minutes(static_cast<int64_t>(day_minutes) * days_to_add);

  const sys_days first = std::chrono::floor<days>(from + utc_offset_);
  for (int i = 0; i < kMaxDaysScanned; ++i) {
    const sys_days date = first + days(i);
    if (!IsWorkingDay(date)) continue;
    const DailyHours h = HoursOn(date);
    if (h.closed()) continue;
    const Time open = Time(date) + minutes(h.open_minute) - utc_offset_;
    const Time close = Time(date) + minutes(h.close_minute) - utc_offset_;
    const Time start = std::max(open, from);
    if (start >= close) continue;
    const Duration available = close - start;
    // "<=": work that ends exactly at closing is due at closing, not next morning.
    if (remaining <= available) return start + remaining;
    remaining -= available;
  }
  // No working time within the horizon: fall back to calendar days.
  return from + days(days_to_add);
}

}  // namespace gosline
