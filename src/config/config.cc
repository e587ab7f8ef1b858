#include "config/config.h"

#include <algorithm>

namespace gosline {
namespace {

template <typename T>
const T* FindById(const std::vector<T>& items, std::string T::*key, const std::string& id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.*key == id; });
  return it == items.end() ? nullptr : &*it;
}

int SpanMinutes(const DailyHours& h) { return h.closed() ? 0 : h.close_minute - h.open_minute; }

// A transferred working day (a Saturday that works) gets the hours of a normal
// weekday: the longest of Monday..Friday, so a short Friday does not decide.
DailyHours NormalWeekdayHours(const WeeklyHours& weekly) {
  DailyHours best{};
  for (size_t i = 0; i < 5; ++i) {
    if (SpanMinutes(weekly.days[i]) > SpanMinutes(best)) best = weekly.days[i];
  }
  return best;
}

constexpr std::chrono::minutes kMoscowOffset{180};

}  // namespace

const Topic* Config::FindTopic(const std::string& id) const {
  return FindById(topics, &Topic::id, id);
}
const Agency* Config::FindAgency(const std::string& id) const {
  return FindById(agencies, &Agency::id, id);
}
const Region* Config::FindRegion(const std::string& code) const {
  return FindById(regions, &Region::code, code);
}
const HoursSpec* Config::FindHours(const std::string& id) const {
  return FindById(hours, &HoursSpec::id, id);
}
const Centre* Config::FindCentre(const std::string& id) const {
  return FindById(centres, &Centre::id, id);
}
const QueueConfig* Config::FindQueue(const std::string& id) const {
  return FindById(queues, &QueueConfig::id, id);
}

BusinessCalendar Config::CalendarFor(const std::string& hours_id,
                                     std::chrono::minutes utc_offset) const {
  const HoursSpec* spec = FindHours(hours_id);
  const WeeklyHours weekly = spec ? spec->weekly : WeeklyHours::AllDay();
  const bool open_on_holidays = spec ? spec->open_on_holidays : true;
  return BusinessCalendar(weekly, utc_offset,
                          open_on_holidays ? std::set<std::chrono::sys_days>{} : holidays.holidays,
                          holidays.working_days, NormalWeekdayHours(weekly));
}

BusinessCalendar Config::EscalationCalendar() const {
  const Centre* centre = FindCentre(escalation.centre);
  return CalendarFor(escalation.hours, centre ? centre->utc_offset : kMoscowOffset);
}

BusinessCalendar Config::QueueCalendar(const QueueConfig& queue) const {
  const Centre* centre = FindCentre(queue.centre);
  std::string hours_id = queue.hours;
  if (hours_id.empty() && centre) hours_id = centre->hours;
  return CalendarFor(hours_id, centre ? centre->utc_offset : kMoscowOffset);
}

}  // namespace gosline
