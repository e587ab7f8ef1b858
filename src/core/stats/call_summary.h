// The historical report (R18): offered, answered, abandoned, service level,
// average wait and handle time, first-contact resolution and repeat contacts,
// grouped by queue, topic, region or hour. Pure: rows in, figures out; the
// storage adapter reads the rows, the HTTP route formats the answer.
//
// Definitions (the same as the live figures in queue_statistics.h):
//  - offered:   calls that entered a queue (queue not empty);
//  - answered:  outcome "answered" (an operator took the call);
//  - abandoned: offered, not answered, outcome "abandoned" and waited at least
//               short_abandon (5 s); shorter hang-ups are counted in short_abandoned;
//  - service level: answered with wait <= threshold / (answered + abandoned);
//  - average wait: over answered calls with a known wait; average handle time:
//    talk + wrap-up over answered calls with a known talk time;
//  - repeat contact: a call from a number that called (any outcome) within
//    the 7 days before it;
//  - first-contact resolution: share of answered calls whose number did not
//    call again within the 7 days after (the case store has no "resolved on
//    the first call" flag, so a repeat is taken as "not resolved").
// Calls started in [from, to) are counted; rows outside it only serve as the
// history for repeat contacts and resolution (read from - 7 d .. to + 7 d).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline::stats {

struct ReportCall {
  Time started{};
  std::string queue, topic, region;
  std::string caller;   // a stable key of the calling number (HMAC); "" = unknown
  std::string outcome;  // answered | abandoned | callback | no_operator | ""
  std::optional<Duration> wait, talk, wrap_up;
};

enum class ReportGrouping { kQueue, kTopic, kRegion, kHour };
std::optional<ReportGrouping> ReportGroupingFromString(std::string_view s);

struct ReportOptions {
  Time from{}, to{};
  ReportGrouping group_by = ReportGrouping::kQueue;
  Duration service_level_threshold{std::chrono::seconds(30)};
  Duration short_abandon{std::chrono::seconds(5)};
  Duration repeat_window{std::chrono::hours(24 * 7)};
  Duration day_offset{std::chrono::hours(3)};  // hour groups are local hours
};
// from < to, and the range no longer than a year.
Status ValidateReportOptions(const ReportOptions& o);

struct ReportFigures {
  std::string key;  // queue/topic/region name, or the hour "2026-12-01T09:00+03:00"
  size_t calls = 0, offered = 0, answered = 0, abandoned = 0, short_abandoned = 0;
  size_t answered_in_sl = 0, repeat_contacts = 0, resolved_first_contact = 0;
  std::optional<double> service_level, abandon_rate, first_contact_resolution;
  std::optional<Duration> avg_wait, avg_handle_time;
};

struct ReportSummary {
  std::vector<ReportFigures> groups;  // sorted by key
  ReportFigures total;                // key "total"
};

ReportSummary Summarize(const std::vector<ReportCall>& calls, const ReportOptions& options);

}  // namespace gosline::stats
