#include "core/stats/call_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace gosline::stats {
namespace {

struct Accumulator {
  ReportFigures f;
  Duration wait_sum{0}, handle_sum{0};
  size_t waits = 0, handles = 0;
};

std::string HourKey(Time t, Duration offset) {
  const Time local = t + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const auto hour = std::chrono::floor<std::chrono::hours>(local - day);
  const auto off_min = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
  const long abs_min = off_min < 0 ? -off_min : off_min;
  char buf[128];  // roomy enough for any int the compiler can imagine
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:00%c%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hour.count()), off_min < 0 ? '-' : '+', abs_min / 60,
                abs_min % 60);
  return buf;
}

std::string KeyOf(const ReportCall& c, const ReportOptions& o) {
  switch (o.group_by) {
    case ReportGrouping::kQueue: return c.queue.empty() ? "(none)" : c.queue;
    case ReportGrouping::kTopic: return c.topic.empty() ? "(none)" : c.topic;
    case ReportGrouping::kRegion: return c.region.empty() ? "(unknown)" : c.region;
    case ReportGrouping::kHour: return HourKey(c.started, o.day_offset);
  }
  return "";
}

std::optional<double> Ratio(size_t num, size_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

void Add(Accumulator& a, const ReportCall& c, const ReportOptions& o, bool repeat, bool resolved) {
  ReportFigures& f = a.f;
  ++f.calls;
  f.repeat_contacts += repeat;
  if (c.queue.empty()) return;
  ++f.offered;
  if (c.outcome == "answered") {
    ++f.answered;
    f.resolved_first_contact += resolved;
    if (c.wait) {
      a.wait_sum += *c.wait;
      ++a.waits;
      f.answered_in_sl += *c.wait <= o.service_level_threshold;
    }
    if (c.talk) {
      a.handle_sum += *c.talk + c.wrap_up.value_or(Duration::zero());
      ++a.handles;
    }
  } else if (c.outcome == "abandoned") {
    if (c.wait && *c.wait < o.short_abandon) {
      ++f.short_abandoned;
    } else {
      ++f.abandoned;
    }
  }
}

ReportFigures Finish(Accumulator& a) {
  ReportFigures f = a.f;
  f.service_level = Ratio(f.answered_in_sl, f.answered + f.abandoned);
  f.abandon_rate = Ratio(f.abandoned, f.answered + f.abandoned);
  f.first_contact_resolution = Ratio(f.resolved_first_contact, f.answered);
  if (a.waits > 0) f.avg_wait = a.wait_sum / static_cast<int64_t>(a.waits);
  if (a.handles > 0) f.avg_handle_time = a.handle_sum / static_cast<int64_t>(a.handles);
  return f;
}

}  // namespace

std::optional<ReportGrouping> ReportGroupingFromString(std::string_view s) {
  if (s == "queue") return ReportGrouping::kQueue;
  if (s == "topic") return ReportGrouping::kTopic;
  if (s == "region") return ReportGrouping::kRegion;
  if (s == "hour") return ReportGrouping::kHour;
  return std::nullopt;
}

Status ValidateReportOptions(const ReportOptions& o) {
  if (o.from >= o.to) return Status::InvalidArgument("from must be before to", "from");
  if (o.to - o.from > std::chrono::hours(24 * 366)) {
    return Status::InvalidArgument("the range may not exceed a year", "to");
  }
  return Status::Ok();
}

ReportSummary Summarize(const std::vector<ReportCall>& calls, const ReportOptions& o) {
  // Each caller's call times, sorted, for repeat contacts and resolution.
  std::unordered_map<std::string, std::vector<Time>> by_caller;
  for (const ReportCall& c : calls) {
    if (!c.caller.empty()) by_caller[c.caller].push_back(c.started);
  }
  for (auto& [caller, times] : by_caller) std::sort(times.begin(), times.end());

  std::map<std::string, Accumulator> groups;
  Accumulator total;
  for (const ReportCall& c : calls) {
    if (c.started < o.from || c.started >= o.to) continue;
    bool repeat = false, resolved = true;
    if (!c.caller.empty()) {
      const auto& times = by_caller[c.caller];
      // Another call in [started - window, started) or (started, started + window].
      auto first_at = std::lower_bound(times.begin(), times.end(), c.started);
      repeat = first_at != times.begin() && *std::prev(first_at) >= c.started - o.repeat_window;
      auto after = std::upper_bound(times.begin(), times.end(), c.started);
      resolved = after == times.end() || *after > c.started + o.repeat_window;
    }
    Add(groups[KeyOf(c, o)], c, o, repeat, resolved);
    Add(total, c, o, repeat, resolved);
  }
  ReportSummary out;
  for (auto& [key, acc] : groups) {
    out.groups.push_back(Finish(acc));
    out.groups.back().key = key;
  }
  out.total = Finish(total);
  out.total.key = "total";
  return out;
}

}  // namespace gosline::stats
