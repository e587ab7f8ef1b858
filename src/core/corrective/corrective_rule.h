// Corrective actions (R13): what supervisors tell the line to do by itself
// when a live figure leaves its permitted band, e.g. "when the service level
// of the pensions queue stays below 0.70 for two minutes, open an overflow to
// the federal centre and offer callers a callback; undo it once the level is
// back above 0.80 for three minutes". Plain data from the configuration's
// `corrective_actions:` list; the engine (corrective_engine.h) evaluates it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline::corrective {

// The live figures a rule may watch, per queue.
enum class Figure {
  kServiceLevel15m,  // 0..1: answered within the target / (answered + abandoned), last 15 min
  kEwtSeconds,       // estimated wait of a caller joining now
  kQueueLength,      // calls waiting now
  kAbandonRate15m,   // 0..1: abandoned / (answered + abandoned), last 15 min
};
std::string_view ToString(Figure f);  // "service_level_15m", ...
std::optional<Figure> FigureFromString(std::string_view s);
std::vector<std::string> FigureNames();

enum class ActionKind {
  kOfferCallback,         // callers entering the queue hear the callback offer
  kOpenOverflow,          // an extra overflow route from_queue -> to_queue / to_centre
  kHighLoadAnnouncement,  // callers entering the queue hear `prompt`
  kPageSupervisors,       // an alarm to the supervisors (wallboard, log, metrics)
};
std::string_view ToString(ActionKind k);  // "offer_callback", ...

struct CorrectiveAction {
  ActionKind kind = ActionKind::kPageSupervisors;
  std::string from_queue;  // open_overflow
  std::string to_queue;    // open_overflow: exactly one of to_queue and to_centre
  std::string to_centre;
  std::string prompt;      // high_load_announcement: an IVR prompt id

  bool operator==(const CorrectiveAction&) const = default;
};
// "open_overflow federal-taxes -> federal-other", for logs and the audit log.
std::string Describe(const CorrectiveAction& action);

struct Trigger {
  Figure figure = Figure::kQueueLength;
  // Empty: the worst queue of the line (the highest value for `above`
  // rules, the lowest for `below` ones).
  std::string queue;
  bool above = true;  // true: triggers when value > threshold; false: when value < threshold
  double threshold = 0;
  Duration hold{0};   // the condition must hold this long without a break

  bool operator==(const Trigger&) const = default;
};

// Undone once the value is back on the healthy side of `threshold` (the
// hysteresis band lies between it and the trigger's) for `hold`.
struct Recovery {
  double threshold = 0;
  Duration hold{0};

  bool operator==(const Recovery&) const = default;
};

struct CorrectiveRule {
  std::string name;  // unique; the metric's label and the audit log's object
  Trigger when;
  Recovery recover;
  std::vector<CorrectiveAction> actions;  // at least one

  bool operator==(const CorrectiveRule&) const = default;
};

// Checks one rule on its own (names of queues, centres and prompts are the
// configuration loader's to check): a name, a threshold in the figure's range,
// the recovery threshold on the healthy side, durations not negative, at
// least one action, each action complete. The message names the rule and the field.
Status ValidateRule(const CorrectiveRule& rule);

}  // namespace gosline::corrective
