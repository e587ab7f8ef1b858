#include "core/stats/threshold_alarms.h"

#include <set>

namespace gosline::stats {
namespace {

struct MetricName {
  AlarmMetric metric;
  std::string_view name;
};
constexpr MetricName kMetricNames[] = {
    {AlarmMetric::kServiceLevelWindow, "service_level_window"},
    {AlarmMetric::kServiceLevelToday, "service_level_today"},
    {AlarmMetric::kAbandonRateWindow, "abandon_rate_window"},
    {AlarmMetric::kLongestWaitSeconds, "longest_wait_seconds"},
    {AlarmMetric::kCallsWaiting, "calls_waiting"},
};

std::optional<double> ValueOf(const QueueMeasurements& m, AlarmMetric metric) {
  switch (metric) {
    case AlarmMetric::kServiceLevelWindow: return m.service_level_window;
    case AlarmMetric::kServiceLevelToday: return m.service_level_today;
    case AlarmMetric::kAbandonRateWindow: return m.abandon_rate_window;
    case AlarmMetric::kLongestWaitSeconds: return m.longest_wait_seconds;
    case AlarmMetric::kCallsWaiting: return m.calls_waiting;
  }
  return std::nullopt;
}

bool Breaches(const AlarmRule& r, double v) { return r.above ? v > r.threshold : v < r.threshold; }
bool Healthy(const AlarmRule& r, double v) { return r.above ? v <= r.clear_at : v >= r.clear_at; }

}  // namespace

std::string_view ToString(AlarmMetric m) {
  for (const auto& n : kMetricNames) {
    if (n.metric == m) return n.name;
  }
  return "unknown";
}

std::optional<AlarmMetric> AlarmMetricFromString(std::string_view s) {
  for (const auto& n : kMetricNames) {
    if (n.name == s) return n.metric;
  }
  return std::nullopt;
}

Status ValidateAlarmRule(const AlarmRule& rule) {
  if (rule.id.empty()) return Status::InvalidArgument("alarm rule needs an id", "id");
  const bool band_ok = rule.above ? rule.clear_at <= rule.threshold : rule.clear_at >= rule.threshold;
  if (!band_ok) {
    return Status::InvalidArgument(
        "alarm rule " + rule.id + ": clear_at must be on the healthy side of threshold", "clear_at");
  }
  if (rule.raise_after < Duration::zero()) {
    return Status::InvalidArgument("alarm rule " + rule.id + ": raise_after is negative",
                                   "raise_after");
  }
  return Status::Ok();
}

QueueMeasurements MeasurementsFrom(const QueueFigures& f) {
  QueueMeasurements m;
  m.service_level_window = f.service_level_window;
  m.service_level_today = f.service_level_today;
  const size_t ended_wait = f.answered_window + f.abandoned_window;
  if (ended_wait > 0) {
    m.abandon_rate_window =
        static_cast<double>(f.abandoned_window) / static_cast<double>(ended_wait);
  }
  return m;
}

Result<AlarmEvaluator> AlarmEvaluator::Create(std::vector<AlarmRule> rules) {
  std::set<std::string> ids;
  for (const auto& r : rules) {
    GOSLINE_RETURN_IF_ERROR(ValidateAlarmRule(r));
    if (!ids.insert(r.id).second) {
      return Status::InvalidArgument("alarm rule id " + r.id + " is used twice", "id");
    }
  }
  return AlarmEvaluator(std::move(rules));
}

std::vector<AlarmEvent> AlarmEvaluator::Evaluate(std::string_view queue,
                                                 const QueueMeasurements& m, Time now) {
  std::vector<AlarmEvent> events;
  for (const AlarmRule& rule : rules_) {
    if (!rule.queue.empty() && rule.queue != queue) continue;
    const std::optional<double> value = ValueOf(m, rule.metric);
    if (!value) continue;  // unknown: keep the state as it is
    State& st = states_[{rule.id, std::string(queue)}];
    st.value = *value;
    if (!st.active) {
      if (!Breaches(rule, *value)) {
        st.breaching_since.reset();
        continue;
      }
      if (!st.breaching_since) st.breaching_since = now;
      if (now - *st.breaching_since < rule.raise_after) continue;
      st.active = true;
      st.since = now;
      st.breaching_since.reset();
      events.push_back({rule.id, std::string(queue), rule.metric, true, *value, rule.threshold, now});
    } else if (Healthy(rule, *value)) {
      st.active = false;
      events.push_back({rule.id, std::string(queue), rule.metric, false, *value, rule.clear_at, now});
    }
  }
  return events;
}

std::vector<ActiveAlarm> AlarmEvaluator::Active() const {
  std::vector<ActiveAlarm> out;
  for (const auto& [key, st] : states_) {
    if (!st.active) continue;
    AlarmMetric metric = AlarmMetric::kServiceLevelWindow;
    for (const auto& r : rules_) {
      if (r.id == key.first) metric = r.metric;
    }
    out.push_back({key.first, key.second, metric, st.value, st.since});
  }
  return out;
}

}  // namespace gosline::stats
