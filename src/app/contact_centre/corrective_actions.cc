#include "app/contact_centre/corrective_actions.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <limits>

namespace gosline::contact_centre {

using corrective::ActionKind;
using corrective::CorrectiveAction;

std::vector<corrective::QueueReading> ReadingsOf(const std::vector<QueueView>& queues) {
  std::vector<corrective::QueueReading> out;
  for (const QueueView& q : queues) {
    corrective::QueueReading r;
    r.queue = q.id;
    r.queue_length = static_cast<double>(q.waiting);
    r.service_level_15m = q.figures.service_level_window;
    if (q.estimated_wait) {
      r.ewt_seconds = std::chrono::duration<double>(*q.estimated_wait).count();
    } else if (q.waiting > 0) {
      r.ewt_seconds = std::numeric_limits<double>::infinity();
    }
    const size_t ended = q.figures.answered_window + q.figures.abandoned_window;
    if (ended > 0) {
      r.abandon_rate_15m =
          static_cast<double>(q.figures.abandoned_window) / static_cast<double>(ended);
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<CorrectiveActions> CorrectiveActions::Create(std::vector<corrective::CorrectiveRule> rules) {
  GOSLINE_ASSIGN_OR_RETURN(corrective::CorrectiveEngine engine,
                           corrective::CorrectiveEngine::Create(std::move(rules)));
  return CorrectiveActions(std::move(engine));
}

std::vector<corrective::Transition> CorrectiveActions::Evaluate(const std::vector<QueueView>& queues,
                                                                Time now) {
  return engine_.Evaluate(ReadingsOf(queues), now);
}

Result<std::vector<corrective::Transition>> CorrectiveActions::Reconfigure(
    std::vector<corrective::CorrectiveRule> rules, Time now) {
  return engine_.Reconfigure(std::move(rules), now);
}

routing::RoutingConfig CorrectiveActions::WithOpenOverflows(const routing::RoutingConfig& base) const {
  routing::RoutingConfig out = base;
  for (const CorrectiveAction& a : engine_.ActiveActions()) {
    if (a.kind != ActionKind::kOpenOverflow) continue;
    routing::OverflowRule rule;
    rule.after = Duration(0);  // at once, for the calls waiting and those to come
    rule.target.kind =
        a.to_queue.empty() ? routing::OverflowTarget::Kind::kCentre : routing::OverflowTarget::Kind::kQueue;
    rule.target.id = a.to_queue.empty() ? a.to_centre : a.to_queue;
    auto q = std::find_if(out.overflow.begin(), out.overflow.end(),
                          [&](const routing::QueueOverflow& o) { return o.queue == a.from_queue; });
    if (q == out.overflow.end()) {
      out.overflow.push_back(routing::QueueOverflow{a.from_queue, {}});
      q = std::prev(out.overflow.end());
    }
    // Appended: the configured rules keep their places (and what they fired).
    if (q->rules.size() < routing::kMaxRulesPerQueue) q->rules.push_back(rule);
  }
  return out;
}

std::vector<std::string> CorrectiveActions::EntryPrompts(const std::string& queue) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& prompt) {
    if (std::find(out.begin(), out.end(), prompt) == out.end()) out.push_back(prompt);
  };
  for (const corrective::RuleState& s : engine_.States()) {
    if (!s.active) continue;
    const corrective::CorrectiveRule* rule = nullptr;
    for (const corrective::CorrectiveRule& r : engine_.rules()) {
      if (r.name == s.name) rule = &r;
    }
    if (rule == nullptr || (!rule->when.queue.empty() && rule->when.queue != queue)) continue;
    for (const CorrectiveAction& a : rule->actions) {
      if (a.kind == ActionKind::kHighLoadAnnouncement) add(a.prompt);
    }
    for (const CorrectiveAction& a : rule->actions) {
      if (a.kind == ActionKind::kOfferCallback) add(kCallbackOfferPrompt);
    }
  }
  return out;
}

std::vector<CorrectiveView> CorrectiveActions::Views() const {
  std::vector<CorrectiveView> out;
  for (const corrective::RuleState& s : engine_.States()) {
    CorrectiveView v;
    v.rule = s.name;
    v.active = s.active;
    v.figure = std::string(corrective::ToString(s.figure));
    v.queue = s.queue;
    v.value = s.value;
    v.threshold = s.threshold;
    if (s.active) v.since = s.since;
    v.activations = s.activations;
    for (const CorrectiveAction& a : s.actions) v.actions.push_back(corrective::Describe(a));
    out.push_back(std::move(v));
  }
  return out;
}

bool ChangesRouting(const std::vector<corrective::Transition>& transitions) {
  for (const corrective::Transition& t : transitions) {
    for (const CorrectiveAction& a : t.actions) {
      if (a.kind == ActionKind::kOpenOverflow) return true;
    }
  }
  return false;
}

std::string DescribeReason(const corrective::Transition& t) {
  char value[32];
  char threshold[32];
  std::snprintf(value, sizeof value, "%g", t.reason.value);
  std::snprintf(threshold, sizeof threshold, "%g", t.reason.threshold);
  std::string s = t.cause + ": " + std::string(corrective::ToString(t.reason.figure)) +
                  (t.reason.queue.empty() ? "" : " of " + t.reason.queue) + " = " + value +
                  " (threshold " + threshold + ")";
  if (t.reason.since != Time{}) s += " since " + FormatIso8601(t.reason.since);
  std::string actions;
  for (const CorrectiveAction& a : t.actions) {
    actions += (actions.empty() ? "" : ", ") + corrective::Describe(a);
  }
  return s + "; actions: " + actions;
}

}  // namespace gosline::contact_centre
