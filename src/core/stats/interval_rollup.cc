#include "core/stats/interval_rollup.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace gosline::stats {
namespace {

constexpr std::array<std::string_view, 7> kDimensionNames = {"total",  "line",   "queue", "topic",
                                                             "agency", "region", "operator"};
constexpr std::array<std::string_view, 5> kBucketNames = {"15m", "hour", "day", "week", "month"};

std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}
std::optional<double> AverageSeconds(int64_t sum_ms, int64_t count) {
  if (count <= 0) return std::nullopt;
  return static_cast<double>(sum_ms) / 1000.0 / static_cast<double>(count);
}

const std::string& OrNone(const std::string& s) {
  static const std::string kNone = "(none)";
  return s.empty() ? kNone : s;
}

}  // namespace

std::string_view ToString(RollupDimension d) { return kDimensionNames[static_cast<size_t>(d)]; }

std::optional<RollupDimension> RollupDimensionFromString(std::string_view s) {
  for (size_t i = 0; i < kDimensionNames.size(); ++i) {
    if (kDimensionNames[i] == s) return static_cast<RollupDimension>(i);
  }
  return std::nullopt;
}

std::string_view ToString(ReportBucket b) { return kBucketNames[static_cast<size_t>(b)]; }

std::optional<ReportBucket> ReportBucketFromString(std::string_view s) {
  for (size_t i = 0; i < kBucketNames.size(); ++i) {
    if (kBucketNames[i] == s) return static_cast<ReportBucket>(i);
  }
  return std::nullopt;
}

IntervalFigures& IntervalFigures::operator+=(const IntervalFigures& o) {
  calls += o.calls;
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  short_abandoned += o.short_abandoned;
  answered_within += o.answered_within;
  transfers += o.transfers;
  callbacks += o.callbacks;
  ivr_contained += o.ivr_contained;
  identified += o.identified;
  repeat_contacts += o.repeat_contacts;
  fcr_eligible += o.fcr_eligible;
  fcr_resolved += o.fcr_resolved;
  wait_ms += o.wait_ms;
  waits += o.waits;
  talk_ms += o.talk_ms;
  talks += o.talks;
  wrap_up_ms += o.wrap_up_ms;
  wrap_ups += o.wrap_ups;
  handle_ms += o.handle_ms;
  handles += o.handles;
  return *this;
}

DerivedFigures Derive(const IntervalFigures& f) {
  DerivedFigures d;
  d.service_level_answered = Ratio(f.answered_within, f.answered);
  d.service_level_offered = Ratio(f.answered_within, f.answered + f.abandoned);
  d.abandon_rate = Ratio(f.abandoned, f.answered + f.abandoned);
  d.asa_seconds = AverageSeconds(f.wait_ms, f.waits);
  d.aht_seconds = AverageSeconds(f.handle_ms, f.handles);
  d.avg_talk_seconds = AverageSeconds(f.talk_ms, f.talks);
  d.avg_wrap_up_seconds = AverageSeconds(f.wrap_up_ms, f.wrap_ups);
  d.first_contact_resolution = Ratio(f.fcr_resolved, f.fcr_eligible);
  d.repeat_contact_rate = Ratio(f.repeat_contacts, f.identified);
  return d;
}

std::string DimensionKey(const RollupCall& c, RollupDimension d) {
  switch (d) {
    case RollupDimension::kTotal: return "";
    case RollupDimension::kLine: return OrNone(c.line);
    case RollupDimension::kQueue: return OrNone(c.queue);
    case RollupDimension::kTopic: return OrNone(c.topic);
    case RollupDimension::kAgency: return OrNone(c.agency);
    case RollupDimension::kRegion: return OrNone(c.region);
    case RollupDimension::kOperator: return OrNone(c.operator_id);
  }
  return "";
}

Time IntervalStart(Time t) {
  using Quarter = std::chrono::duration<int64_t, std::ratio<15 * 60>>;
  static_assert(Quarter(1) == kRollupInterval);
  return std::chrono::time_point_cast<Duration>(std::chrono::floor<Quarter>(t));
}

IntervalFigures FiguresOf(const RollupCall& c, const RollupSettings& s) {
  IntervalFigures f;
  f.calls = 1;
  const bool identified = !c.caller.empty() && !c.topic.empty();
  f.identified = identified;
  f.repeat_contacts = identified && c.repeat;
  f.callbacks = c.outcome == "callback";
  f.ivr_contained = c.queue.empty() && c.ivr_end == "completed";
  f.transfers = std::max<int64_t>(0, c.operator_legs - 1);
  if (c.queue.empty()) return f;
  f.offered = 1;
  if (c.outcome == "answered") {
    f.answered = 1;
    if (c.wait) {
      f.wait_ms = c.wait->count();
      f.waits = 1;
      f.answered_within = *c.wait <= s.service_level_threshold;
    }
    if (c.talk) {
      f.talk_ms = c.talk->count();
      f.talks = 1;
      f.handle_ms = c.talk->count() + c.wrap_up.value_or(Duration::zero()).count();
      f.handles = 1;
    }
    if (c.wrap_up) {
      f.wrap_up_ms = c.wrap_up->count();
      f.wrap_ups = 1;
    }
    f.fcr_eligible = identified;
    f.fcr_resolved = identified && !c.called_again;
  } else if (c.outcome == "abandoned") {
    if (c.wait && *c.wait < s.short_abandon) {
      f.short_abandoned = 1;
    } else {
      f.abandoned = 1;
    }
  }
  return f;
}

std::vector<RollupIncrement> IncrementsOf(const RollupCall& c, const RollupSettings& s) {
  const IntervalFigures f = FiguresOf(c, s);
  const Time interval = IntervalStart(c.started);
  std::vector<RollupIncrement> out;
  out.reserve(kAllRollupDimensions.size());
  for (RollupDimension d : kAllRollupDimensions) {
    out.push_back({interval, d, DimensionKey(c, d), f});
  }
  return out;
}

void MarkRepeatContacts(std::vector<RollupCall>& calls, Duration window) {
  // The latest earlier call of each (caller, topic): one pass in start order.
  std::map<std::pair<std::string, std::string>, size_t> last;
  for (size_t i = 0; i < calls.size(); ++i) {
    RollupCall& c = calls[i];
    c.repeat = false;
    c.called_again = false;
    if (c.caller.empty() || c.topic.empty()) continue;
    auto [it, fresh] = last.try_emplace({c.caller, c.topic}, i);
    if (!fresh) {
      RollupCall& earlier = calls[it->second];
      if (c.started - earlier.started <= window) {
        c.repeat = true;
        earlier.called_again = true;
      }
      it->second = i;
    }
  }
}

Time BucketStart(Time t, ReportBucket b, std::chrono::minutes utc_offset) {
  using namespace std::chrono;
  const Time local = t + utc_offset;
  Time start_local{};
  switch (b) {
    case ReportBucket::k15Minutes:
      return IntervalStart(t);
    case ReportBucket::kHour:
      start_local = floor<hours>(local);
      break;
    case ReportBucket::kDay:
      start_local = floor<days>(local);
      break;
    case ReportBucket::kWeek: {
      const sys_days day = floor<days>(local);
      const weekday wd{day};
      // Monday first: ISO weeks, as offices plan them.
      start_local = day - days((wd.c_encoding() + 6) % 7);
      break;
    }
    case ReportBucket::kMonth: {
      const year_month_day ymd{floor<days>(local)};
      start_local = sys_days(ymd.year() / ymd.month() / 1);
      break;
    }
  }
  return start_local - utc_offset;
}

Time NextBucketStart(Time bucket_start, ReportBucket b, std::chrono::minutes utc_offset) {
  using namespace std::chrono;
  switch (b) {
    case ReportBucket::k15Minutes: return bucket_start + kRollupInterval;
    case ReportBucket::kHour: return bucket_start + hours(1);
    case ReportBucket::kDay: return bucket_start + days(1);
    case ReportBucket::kWeek: return bucket_start + days(7);
    case ReportBucket::kMonth: {
      const year_month_day ymd{floor<days>(bucket_start + utc_offset)};
      const year_month next = year_month(ymd.year(), ymd.month()) + months(1);
      return Time(sys_days(next / 1)) - utc_offset;
    }
  }
  return bucket_start;
}

std::vector<IntervalRow> MergeIntoBuckets(const std::vector<IntervalRow>& rows, ReportBucket b,
                                          std::chrono::minutes utc_offset) {
  std::map<std::pair<Time, std::string>, IntervalFigures> merged;
  for (const IntervalRow& r : rows) {
    merged[{BucketStart(r.start, b, utc_offset), r.key}] += r.figures;
  }
  std::vector<IntervalRow> out;
  out.reserve(merged.size());
  for (auto& [k, f] : merged) out.push_back({k.first, k.second, f});
  return out;
}

std::vector<IntervalRow> TotalsByKey(const std::vector<IntervalRow>& rows, Time range_start) {
  std::map<std::string, IntervalFigures> merged;
  for (const IntervalRow& r : rows) merged[r.key] += r.figures;
  std::vector<IntervalRow> out;
  out.reserve(merged.size());
  for (auto& [k, f] : merged) out.push_back({range_start, k, f});
  return out;
}

}  // namespace gosline::stats
