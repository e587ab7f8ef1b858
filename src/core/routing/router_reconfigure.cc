// Router::Reconfigure: a new configuration applied to the live router
// (queues, skills and overflow edited without a restart).
//
// A router is built from the new plan as at start-up, then takes over the old
// one's state by id (operators by login, queues and languages by name):
//   operators  keep state, reason, ready_since (their place in line) and call;
//              new ones start logged out
//   calls      keep their slot, key (place by first arrival), data and
//              operator; waiting ones are pooled again under the new skills,
//              and their queue's overflow rules judged again from when they
//              entered it
//   timers     are set again from when each thing began (wrap-up, ringing,
//              rules, aging), with the new durations; those already due run now
// Then every waiting call, earliest first, takes the best free operator its
// pools now allow, so the next Dispatch has the offers the new skills make.
#include <algorithm>
#include <map>

#include "core/routing/router.h"

namespace gosline::routing {

Status Router::Reconfigure(const RoutingTopology& topology, const RoutingConfig& config, Time now) {
  GOSLINE_ASSIGN_OR_RETURN(RoutingPlan plan, RoutingPlan::Build(topology, config));
  AdvanceTo(now);
  GOSLINE_RETURN_IF_ERROR(CheckNothingStranded(plan));
  Router next(std::move(plan));
  next.TakeOver(*this);
  *this = std::move(next);
  return Status::Ok();
}

// Live work must have somewhere to be in the new plan: a supervisor first
// logs the operator out or lets the queue empty, then removes it.
Status Router::CheckNothingStranded(const RoutingPlan& next) const {
  std::vector<std::string> problems;
  for (uint32_t op = 0; op < operators_.size(); ++op) {
    const OperatorRec& o = operators_[op];
    const std::string& id = plan_.operators()[op].id;
    if (o.state == OperatorState::kLoggedOut || next.FindOperator(id)) continue;
    std::string what;
    if (o.state == OperatorState::kOnCall) {
      what = "is on a call";
    } else if (o.state == OperatorState::kRinging) {
      what = "has a call ringing";
    } else {
      what = std::string("is logged in (") + OperatorStateName(o.state) + ")";
    }
    problems.push_back("operator " + id + " " + what + "; set them logged out first");
  }
  std::map<std::string_view, size_t> queues;  // removed queue -> its live calls
  std::map<std::string_view, size_t> languages;
  call_index_.ForEach([&](CallId, uint32_t slot) {
    const CallRec& c = calls_[slot];
    const std::string& home = plan_.queues()[c.home_queue].id;
    if (!next.FindQueue(home)) {
      ++queues[home];
    } else if (c.state != CallState::kWaiting && !next.FindQueue(plan_.queues()[c.served_queue].id)) {
      ++queues[plan_.queues()[c.served_queue].id];  // answered from an overflow queue
    }
    const std::string& language = plan_.languages()[c.language];
    if (!next.FindLanguage(language)) ++languages[language];
  });
  for (const auto& [queue, n] : queues) {
    problems.push_back("queue " + std::string(queue) + " has " + std::to_string(n) +
                       " call(s) waiting or connected; transfer them or let them end first");
  }
  for (const auto& [language, n] : languages) {
    problems.push_back("language " + std::string(language) + " has " + std::to_string(n) +
                       " call(s) in progress");
  }
  if (problems.empty()) return Status::Ok();
  std::string message = problems.front();
  for (size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
  return Status::FailedPrecondition(message);
}

void Router::TakeOver(Router& old) {
  now_ = old.now_;
  next_seq_ = old.next_seq_;
  retired_ids_ = std::move(old.retired_ids_);
  for (uint32_t q = 0; q < plan_.queues().size(); ++q) {
    if (auto was = old.plan_.FindQueue(plan_.queues()[q].id)) queue_stats_[q] = old.queue_stats_[*was];
  }
  const std::vector<uint32_t> op_map = TakeOverOperators(old);
  calls_ = std::move(old.calls_);
  free_slots_ = std::move(old.free_slots_);
  call_index_ = std::move(old.call_index_);
  std::vector<std::vector<uint32_t>> offered_before(calls_.size());
  std::vector<uint32_t> waiting;
  call_index_.ForEach([&](CallId, uint32_t slot) {
    TakeOverCall(old, slot, op_map, offered_before[slot]);
    if (calls_[slot].state == CallState::kWaiting) waiting.push_back(slot);
  });
  std::sort(waiting.begin(), waiting.end(),
            [this](uint32_t a, uint32_t b) { return calls_[a].key < calls_[b].key; });
  for (uint32_t slot : waiting) EnsureStaffed(slot, now_);
  // Free operators and waiting calls meet only now, earliest call first: the
  // order an operator would have taken them in had they come free one by one.
  for (uint32_t slot : waiting) TryAssignCall(slot, now_);
  AdvanceTo(now_);  // wrap-ups and rings already past their new time; queue-level rules
  DropRepeatedOverflows(offered_before);
  // Decisions made before but not yet handed out come first, naming the same ids.
  std::vector<Decision> decisions = std::move(old.decisions_);
  for (Decision& d : decisions) {
    d.operator_id = KeepId(d.operator_id, /*is_queue=*/false);
    d.queue = KeepId(d.queue, /*is_queue=*/true);
  }
  decisions.insert(decisions.end(), decisions_.begin(), decisions_.end());
  decisions_ = std::move(decisions);
}

// Returns old operator index -> new one (kNone: removed, so logged out).
std::vector<uint32_t> Router::TakeOverOperators(const Router& old) {
  std::vector<uint32_t> op_map(old.operators_.size(), kNone);
  for (uint32_t op = 0; op < operators_.size(); ++op) {
    const std::optional<uint32_t> was = old.plan_.FindOperator(plan_.operators()[op].id);
    if (!was) continue;  // new: starts logged out
    op_map[*was] = op;
    const OperatorRec& from = old.operators_[*was];
    // Counts every pool of the new skills; the ready join their lists by ready_since.
    if (from.state != OperatorState::kLoggedOut) {
      SetOperatorState(op, from.state, from.since, from.reason, from.ready_since);
    }
    OperatorRec& o = operators_[op];
    const uint32_t first = o.first_membership, end = o.membership_end;
    o = from;
    o.first_membership = first;
    o.membership_end = end;
    if (o.state == OperatorState::kWrapUp && !o.wrap_up_held) {
      timers_.Add(wrap_up_lane_, o.since + plan_.settings().wrap_up, TimerKind::kWrapUpEnd, op,
                  o.generation);
    }
  }
  return op_map;
}

// One live call under the new plan; `offered_before` gets the (new) queues it
// was offered in, so that offering it there again is not reported as news.
void Router::TakeOverCall(const Router& old, uint32_t slot, const std::vector<uint32_t>& op_map,
                          std::vector<uint32_t>& offered_before) {
  CallRec& c = calls_[slot];
  auto queue_of = [&](uint32_t q) {
    return q == kNone ? kNone : plan_.FindQueue(old.plan_.queues()[q].id).value_or(kNone);
  };
  for (uint32_t p : c.pools) {
    const uint32_t q = queue_of(old.plan_.pools()[p].queue);
    if (q != kNone) offered_before.push_back(q);
  }
  c.home_queue = queue_of(c.home_queue);  // CheckNothingStranded: still there
  c.served_queue = queue_of(c.served_queue);
  c.language = *plan_.FindLanguage(old.plan_.languages()[c.language]);
  c.region = plan_.RegionIndex(c.data.caller_region);
  if (c.op != kNone) c.op = op_map[c.op];
  c.pools.clear();
  AddPoolsOf(c, c.home_queue);
  c.home_pools = uint32_t(c.pools.size());
  c.fired_rules = 0;
  const RoutingSettings& s = plan_.settings();
  if (s.promote_after.count() > 0 && c.key.tier() == Tier::kNormal) {
    const Time due = c.first_enqueued_at + s.promote_after;
    if (due <= now_) {
      c.key = CallKey::Make(Tier::kOverdue, ToUnixMillis(c.first_enqueued_at), c.key.seq(), slot);
    } else {
      timers_.Add(promote_lane_, due, TimerKind::kPromote, slot, c.generation);
    }
  }
  if (c.state == CallState::kRinging) {
    timers_.Add(no_answer_lane_, operators_[c.op].since + s.no_answer, TimerKind::kNoAnswer, slot,
                c.offer_generation);
  }
  if (c.state == CallState::kWaiting) InsertIntoPools(slot);
  if (c.state == CallState::kConnected) return;  // answered: its queue's rules are over
  // "After N s in the queue": judged from when the call entered it.
  const std::vector<PlanRule>& rules = plan_.queues()[c.home_queue].rules;
  for (uint32_t r = 0; r < rules.size(); ++r) {
    if (!rules[r].after) continue;
    const Time due = c.enqueued_at + *rules[r].after;
    if (due <= now_) {
      FireRule(slot, r, OverflowReason::kAfter, now_);
    } else {
      timers_.Add(rule_lanes_[c.home_queue][r], due, TimerKind::kOverflowAfter, slot, c.generation, r);
    }
  }
}

// A call still offered where it already was is no overflow to report.
void Router::DropRepeatedOverflows(const std::vector<std::vector<uint32_t>>& offered_before) {
  auto repeated = [&](const Decision& d) {
    if (d.kind != DecisionKind::kOverflow) return false;
    const uint32_t slot = call_index_.Find(d.call);
    const std::optional<uint32_t> queue = plan_.FindQueue(d.queue);
    if (slot == CallIndex::kMissing || slot >= offered_before.size() || !queue) return false;
    const std::vector<uint32_t>& before = offered_before[slot];
    return std::find(before.begin(), before.end(), *queue) != before.end();
  };
  decisions_.erase(std::remove_if(decisions_.begin(), decisions_.end(), repeated), decisions_.end());
}

// The same id as a view into this router's configuration, or into the
// retired ids when the new configuration no longer has it.
std::string_view Router::KeepId(std::string_view id, bool is_queue) {
  if (id.empty()) return id;
  if (is_queue) {
    if (auto q = plan_.FindQueue(id)) return plan_.queues()[*q].id;
  } else {
    if (auto op = plan_.FindOperator(id)) return plan_.operators()[*op].id;
  }
  return *retired_ids_.insert(std::string(id)).first;
}

}  // namespace gosline::routing
