#include "core/corrective/corrective_engine.h"

#include <set>
#include <utility>

namespace gosline::corrective {
namespace {

std::optional<double> ValueOf(const QueueReading& r, Figure f) {
  switch (f) {
    case Figure::kServiceLevel15m: return r.service_level_15m;
    case Figure::kEwtSeconds: return r.ewt_seconds;
    case Figure::kQueueLength: return r.queue_length;
    case Figure::kAbandonRate15m: return r.abandon_rate_15m;
  }
  return std::nullopt;
}

struct Reading {
  double value = 0;
  std::string queue;
};

// The rule's queue, or the worst known queue of the line.
std::optional<Reading> Read(const Trigger& t, const std::vector<QueueReading>& readings) {
  std::optional<Reading> out;
  for (const QueueReading& r : readings) {
    if (!t.queue.empty() && r.queue != t.queue) continue;
    const std::optional<double> v = ValueOf(r, t.figure);
    if (!v) continue;
    const bool worse = !out || (t.above ? *v > out->value : *v < out->value);
    if (worse) out = Reading{*v, r.queue};
  }
  return out;
}

bool Triggers(const Trigger& t, double v) { return t.above ? v > t.threshold : v < t.threshold; }
bool Recovered(const CorrectiveRule& r, double v) {
  return r.when.above ? v <= r.recover.threshold : v >= r.recover.threshold;
}

Status CheckAll(const std::vector<CorrectiveRule>& rules) {
  std::set<std::string> names;
  for (const CorrectiveRule& r : rules) {
    GOSLINE_RETURN_IF_ERROR(ValidateRule(r));
    if (!names.insert(r.name).second) {
      return Status::InvalidArgument("corrective action " + r.name + " is defined twice", "name");
    }
  }
  return Status::Ok();
}

}  // namespace

CorrectiveEngine::CorrectiveEngine(std::vector<CorrectiveRule> rules) : rules_(std::move(rules)) {
  for (const CorrectiveRule& r : rules_) states_[r.name];
}

Result<CorrectiveEngine> CorrectiveEngine::Create(std::vector<CorrectiveRule> rules) {
  GOSLINE_RETURN_IF_ERROR(CheckAll(rules));
  return CorrectiveEngine(std::move(rules));
}

std::vector<Transition> CorrectiveEngine::Evaluate(const std::vector<QueueReading>& readings,
                                                   Time now) {
  std::vector<Transition> out;
  for (const CorrectiveRule& rule : rules_) {
    State& st = states_[rule.name];
    const std::optional<Reading> r = Read(rule.when, readings);
    if (!r) continue;  // unknown: keep the state and its timers as they are
    st.value = r->value;
    st.value_queue = r->queue;
    const bool towards_change = st.active ? Recovered(rule, r->value) : Triggers(rule.when, r->value);
    if (!towards_change) {
      st.pending_since.reset();  // a break: the hold starts again next time
      continue;
    }
    if (!st.pending_since) st.pending_since = now;
    const Duration hold = st.active ? rule.recover.hold : rule.when.hold;
    if (now - *st.pending_since < hold) continue;
    Transition t;
    t.rule = rule.name;
    t.activate = !st.active;
    t.cause = st.active ? "recovered" : "threshold";
    t.reason = Reason{rule.when.figure, r->queue, r->value,
                      st.active ? rule.recover.threshold : rule.when.threshold, *st.pending_since};
    t.at = now;
    t.actions = rule.actions;
    st.active = !st.active;
    if (st.active) {
      st.active_since = *st.pending_since;
      ++st.activations;
    }
    st.pending_since.reset();
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<Transition>> CorrectiveEngine::Reconfigure(std::vector<CorrectiveRule> rules,
                                                              Time now) {
  GOSLINE_RETURN_IF_ERROR(CheckAll(rules));
  std::vector<Transition> out;
  std::map<std::string, State> next;
  auto ended = [&](const CorrectiveRule& old, const State& st, const std::string& cause) {
    Transition t;
    t.rule = old.name;
    t.activate = false;
    t.cause = cause;
    t.reason = Reason{old.when.figure, st.value_queue, st.value.value_or(0), old.when.threshold,
                      st.active_since};
    t.at = now;
    t.actions = old.actions;
    out.push_back(std::move(t));
  };
  for (const CorrectiveRule& old : rules_) {
    const State& st = states_[old.name];
    const CorrectiveRule* kept = nullptr;
    for (const CorrectiveRule& r : rules) {
      if (r.name == old.name) kept = &r;
    }
    if (kept && kept->when == old.when && kept->recover == old.recover) {
      State carried = st;
      if (st.active && kept->actions != old.actions) {
        ended(old, st, "configuration changed");
        Transition t = out.back();
        t.activate = true;
        t.actions = kept->actions;
        out.push_back(std::move(t));
      }
      next[old.name] = std::move(carried);
      continue;
    }
    if (st.active) ended(old, st, kept ? "configuration changed" : "rule removed");
    if (kept) next[old.name].activations = st.activations;  // judged afresh from now on
  }
  for (const CorrectiveRule& r : rules) next[r.name];  // new rules start inactive
  rules_ = std::move(rules);
  states_ = std::move(next);
  return out;
}

std::vector<RuleState> CorrectiveEngine::States() const {
  std::vector<RuleState> out;
  for (const CorrectiveRule& rule : rules_) {
    const auto it = states_.find(rule.name);
    const State st = it == states_.end() ? State{} : it->second;
    RuleState s;
    s.name = rule.name;
    s.active = st.active;
    s.figure = rule.when.figure;
    s.queue = st.value_queue.empty() ? rule.when.queue : st.value_queue;
    s.value = st.value;
    s.threshold = rule.when.threshold;
    s.since = st.active_since;
    s.activations = st.activations;
    s.actions = rule.actions;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<CorrectiveAction> CorrectiveEngine::ActiveActions() const {
  std::vector<CorrectiveAction> out;
  for (const CorrectiveRule& rule : rules_) {
    const auto it = states_.find(rule.name);
    if (it == states_.end() || !it->second.active) continue;
    out.insert(out.end(), rule.actions.begin(), rule.actions.end());
  }
  return out;
}

}  // namespace gosline::corrective
