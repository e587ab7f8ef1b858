// Fifteen-minute rollups of finished calls for the historical reports (R13,
// R18): what one call adds to its interval under each dimension (line,
// queue, topic, agency, region, operator, and the line's total), and how
// intervals merge into hours, days, weeks and months. Pure: the storage
// adapter reads the calls and keeps the sums, the HTTP route formats them.
//
// Definitions (per call; a call belongs to the interval its start falls in):
//  - calls:            every call attempt the line received;
//  - offered:          calls that entered a queue;
//  - answered:         offered calls an operator answered;
//  - abandoned:        offered calls hung up in the queue after waiting at
//                      least `short_abandon` (5 s) or for an unknown time;
//                      quicker hang-ups are `short_abandoned`, counted apart
//                      (misdials and second thoughts, not lost callers);
//  - answered_within:  answered after a wait of at most the service-level
//                      threshold (30 s);
//  - service level:    `service_level_answered` = answered_within / answered,
//                      `service_level_offered` = answered_within /
//                      (answered + abandoned), short abandons left out;
//  - ASA:              wait summed over answered calls with a known wait;
//    AHT:              talk + wrap-up summed over answered calls with a known
//                      talk time; talk and wrap-up have sums of their own
//                      (the records carry no hold time);
//  - transfers:        operator legs beyond the first (a transfer re-queues
//                      the caller to another operator, R12);
//  - callbacks:        calls that asked to be called back from the queue (R29);
//  - ivr_contained:    calls the IVR served to the end without a queue;
//  - repeat contact:   a call from a known caller about a topic the same
//                      caller called about in the `repeat_window` (7 days)
//                      before it; the rate is over `identified` calls (known
//                      caller and topic);
//  - first-contact resolution: answered identified calls after which the
//                      same caller did not call about the same topic within
//                      the window. It is counted on the first call's interval
//                      and is provisional until the window has passed: a
//                      later repeat makes the store recount the earlier
//                      interval (see storage/report_rollup_store.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time.h"

namespace gosline::stats {

inline constexpr Duration kRollupInterval = std::chrono::minutes(15);

enum class RollupDimension { kTotal, kLine, kQueue, kTopic, kAgency, kRegion, kOperator };
inline constexpr std::array<RollupDimension, 7> kAllRollupDimensions = {
    RollupDimension::kTotal, RollupDimension::kLine,   RollupDimension::kQueue,
    RollupDimension::kTopic, RollupDimension::kAgency, RollupDimension::kRegion,
    RollupDimension::kOperator};
std::string_view ToString(RollupDimension d);  // "total", "line", ...
std::optional<RollupDimension> RollupDimensionFromString(std::string_view s);

// A finished call as the rollup needs it: the call record with the contact
// centre's outcome, and the two answers of the repeat index.
struct RollupCall {
  Time started{};
  std::string line;       // the number dialled
  std::string queue, topic, agency, region, operator_id;
  std::string caller;     // a stable key of the calling number; "" = unknown
  std::string outcome;    // answered | abandoned | callback | no_operator | ""
  std::string ivr_end;    // how the IVR ended: "completed", "queued", ...
  std::optional<Duration> wait, talk, wrap_up;
  int64_t operator_legs = 0;  // operators who answered it, one per leg
  bool repeat = false;        // the caller called about the topic in the window before
  bool called_again = false;  // ... and in the window after
};

struct RollupSettings {
  Duration service_level_threshold{std::chrono::seconds(30)};
  Duration short_abandon{std::chrono::seconds(5)};
  Duration repeat_window{std::chrono::hours(24 * 7)};
};

// Additive sums: an interval's figures are the sum of its calls', a day's the
// sum of its intervals'.
struct IntervalFigures {
  int64_t calls = 0, offered = 0, answered = 0, abandoned = 0, short_abandoned = 0;
  int64_t answered_within = 0, transfers = 0, callbacks = 0, ivr_contained = 0;
  int64_t identified = 0, repeat_contacts = 0, fcr_eligible = 0, fcr_resolved = 0;
  int64_t wait_ms = 0, waits = 0;        // ASA = wait_ms / waits
  int64_t talk_ms = 0, talks = 0;
  int64_t wrap_up_ms = 0, wrap_ups = 0;
  int64_t handle_ms = 0, handles = 0;    // AHT = handle_ms / handles

  IntervalFigures& operator+=(const IntervalFigures& o);
  bool operator==(const IntervalFigures&) const = default;
};

// The ratios and averages of a sum; nullopt where the denominator is zero.
struct DerivedFigures {
  std::optional<double> service_level_answered, service_level_offered, abandon_rate;
  std::optional<double> asa_seconds, aht_seconds, avg_talk_seconds, avg_wrap_up_seconds;
  std::optional<double> first_contact_resolution, repeat_contact_rate;
};
DerivedFigures Derive(const IntervalFigures& f);

// The key a call has under a dimension: "" under kTotal, "(none)" where the
// call has no value (never reached a queue, no operator).
std::string DimensionKey(const RollupCall& c, RollupDimension d);

// The start of the 15-minute interval that holds `t` (UTC; every time zone
// in use is a whole number of quarter hours from UTC).
Time IntervalStart(Time t);

// What one call adds to its interval: its figures, the same under every
// dimension (each dimension has its own key).
IntervalFigures FiguresOf(const RollupCall& c, const RollupSettings& s);

struct RollupIncrement {
  Time interval{};
  RollupDimension dimension = RollupDimension::kTotal;
  std::string key;
  IntervalFigures figures;
};
// One increment per dimension, kTotal first.
std::vector<RollupIncrement> IncrementsOf(const RollupCall& c, const RollupSettings& s);

// The repeat index over calls in start order (ties: in the order given):
// sets `repeat` and `called_again` on each by the definition above. The
// store answers the same two questions in SQL; this is the rule they follow.
void MarkRepeatContacts(std::vector<RollupCall>& calls_by_start, Duration window);

// Report buckets: intervals merged into hours, days, weeks (Monday first) and
// calendar months of the line's local time (UTC + utc_offset).
enum class ReportBucket { k15Minutes, kHour, kDay, kWeek, kMonth };
std::string_view ToString(ReportBucket b);  // "15m", "hour", "day", "week", "month"
std::optional<ReportBucket> ReportBucketFromString(std::string_view s);
// The start (UTC) of the bucket that holds the interval starting at `t`.
Time BucketStart(Time t, ReportBucket b, std::chrono::minutes utc_offset);
// The start of the bucket after the one that starts at `bucket_start`.
Time NextBucketStart(Time bucket_start, ReportBucket b, std::chrono::minutes utc_offset);

struct IntervalRow {
  Time start{};  // interval or bucket start
  std::string key;
  IntervalFigures figures;
};
// Rows of any bucket size merged into `b`, sorted by start then key.
std::vector<IntervalRow> MergeIntoBuckets(const std::vector<IntervalRow>& rows, ReportBucket b,
                                          std::chrono::minutes utc_offset);
// Rows summed per key over the whole range (the bar chart), sorted by key.
std::vector<IntervalRow> TotalsByKey(const std::vector<IntervalRow>& rows, Time range_start);

}  // namespace gosline::stats
