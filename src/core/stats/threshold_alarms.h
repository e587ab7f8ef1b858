// Threshold alarms for the wallboard (R18: deviations beyond thresholds raise
// alerts). Pure: the caller passes each queue's current measurements and the
// time; the evaluator answers which alarms were raised or cleared.
//
// No flapping: an alarm is raised only after its condition has held for
// `raise_after` (0 = at once) and cleared only when the value is back past
// `clear_at` (the hysteresis band), e.g. raise when SL < 0.80, clear at >= 0.85.
// A measurement that is unknown (no calls yet) changes nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/stats/queue_statistics.h"

namespace gosline::stats {

enum class AlarmMetric {
  kServiceLevelWindow,  // 0..1, answered within SL over the window
  kServiceLevelToday,   // 0..1
  kAbandonRateWindow,   // 0..1, abandoned / (answered + abandoned) over the window
  kLongestWaitSeconds,  // the call waiting longest now
  kCallsWaiting,        // calls in the queue now
};
std::string_view ToString(AlarmMetric m);  // "service_level_window", ...
std::optional<AlarmMetric> AlarmMetricFromString(std::string_view s);

struct AlarmRule {
  std::string id;         // "sl-low"; unique
  std::string queue;      // empty: every queue
  AlarmMetric metric = AlarmMetric::kServiceLevelWindow;
  bool above = false;     // true: alarm when value > threshold; false: when value < threshold
  double threshold = 0;
  double clear_at = 0;    // must be on the healthy side of threshold (or equal)
  Duration raise_after{0};
};

// Checks one rule: id present, clear_at not on the alarming side of threshold.
Status ValidateAlarmRule(const AlarmRule& rule);

// What a queue measures now; absent values are unknown.
struct QueueMeasurements {
  std::optional<double> service_level_window, service_level_today, abandon_rate_window;
  std::optional<double> longest_wait_seconds, calls_waiting;
};
// Fills the figures-derived fields; longest wait and calls waiting come from the router.
QueueMeasurements MeasurementsFrom(const QueueFigures& f);

struct AlarmEvent {
  std::string rule_id;
  std::string queue;
  AlarmMetric metric;
  bool raised = true;  // false: cleared
  double value = 0;
  double threshold = 0;
  Time at{};
};

struct ActiveAlarm {
  std::string rule_id, queue;
  AlarmMetric metric;
  double value = 0;
  Time since{};
};

class AlarmEvaluator {
 public:
  // Invalid rules are refused by Create.
  static Result<AlarmEvaluator> Create(std::vector<AlarmRule> rules);

  // Evaluates every rule that applies to `queue`; returns the changes.
  std::vector<AlarmEvent> Evaluate(std::string_view queue, const QueueMeasurements& m, Time now);

  std::vector<ActiveAlarm> Active() const;
  const std::vector<AlarmRule>& rules() const { return rules_; }

 private:
  explicit AlarmEvaluator(std::vector<AlarmRule> rules) : rules_(std::move(rules)) {}
  struct State {
    bool active = false;
    std::optional<Time> breaching_since;  // condition true, not yet raised
    Time since{};
    double value = 0;
  };
  std::vector<AlarmRule> rules_;
  std::map<std::pair<std::string, std::string>, State> states_;  // (rule id, queue)
};

}  // namespace gosline::stats
