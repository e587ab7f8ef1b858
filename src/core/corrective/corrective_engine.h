// Evaluates the corrective-action rules (R13) against the line's live figures.
// Pure: the caller passes each queue's figures and the time; the engine
// answers which rules start ("activate") and which end ("deactivate"), each
// with the reason (figure, queue, value, threshold, since when it held).
//
// No flapping: a rule activates only once its trigger has held for its hold
// time without a break, and deactivates only once the value has stayed on the
// healthy side of the recovery threshold for the recovery hold; a value inside
// the hysteresis band (between the two thresholds) keeps the rule as it is and
// restarts the recovery hold. A figure that is unknown (no calls in the window
// yet) changes nothing: timers neither start nor restart.
//
// Reconfigure replaces the rules: a rule kept word for word keeps its state;
// an active rule that was removed or whose trigger changed is deactivated
// (its actions must be undone) and, if still present, judged afresh; an active
// rule whose actions alone changed swaps its actions at once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/corrective/corrective_rule.h"

namespace gosline::corrective {

// What one queue measures now; absent values are unknown.
struct QueueReading {
  std::string queue;
  std::optional<double> service_level_15m, ewt_seconds, queue_length, abandon_rate_15m;
};

struct Reason {
  Figure figure = Figure::kQueueLength;
  std::string queue;     // where the value was read (the worst queue for rules without one)
  double value = 0;
  double threshold = 0;  // the trigger's (activate) or the recovery's (deactivate)
  Time since{};          // when the value began to hold without a break
};

struct Transition {
  std::string rule;
  bool activate = true;  // false: deactivate, undo `actions`
  // "threshold", "recovered", "configuration changed", "rule removed"
  std::string cause;
  Reason reason;
  Time at{};
  std::vector<CorrectiveAction> actions;  // what to apply or to undo
};

// A rule as the wallboard and /metrics show it.
struct RuleState {
  std::string name;
  bool active = false;
  Figure figure = Figure::kQueueLength;
  std::string queue;
  std::optional<double> value;  // the latest known value
  double threshold = 0;
  Time since{};                 // active: when its condition began to hold
  uint64_t activations = 0;     // since start
  std::vector<CorrectiveAction> actions;
};

class CorrectiveEngine {
 public:
  // Invalid or repeated rules are refused.
  static Result<CorrectiveEngine> Create(std::vector<CorrectiveRule> rules);
  CorrectiveEngine() = default;  // no rules

  std::vector<Transition> Evaluate(const std::vector<QueueReading>& readings, Time now);
  // Refuses invalid rules, changing nothing.
  Result<std::vector<Transition>> Reconfigure(std::vector<CorrectiveRule> rules, Time now);

  std::vector<RuleState> States() const;
  // The actions of the active rules, in rule order.
  std::vector<CorrectiveAction> ActiveActions() const;
  const std::vector<CorrectiveRule>& rules() const { return rules_; }

 private:
  struct State {
    bool active = false;
    std::optional<Time> pending_since;  // towards the next transition
    std::optional<double> value;
    std::string value_queue;
    Time active_since{};
    uint64_t activations = 0;
  };
  explicit CorrectiveEngine(std::vector<CorrectiveRule> rules);

  std::vector<CorrectiveRule> rules_;
  std::map<std::string, State> states_;  // by rule name
};

}  // namespace gosline::corrective
