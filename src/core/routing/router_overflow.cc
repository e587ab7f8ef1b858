// Router: time (timers), overflow rules and rerouting of unstaffed queues (R11).
#include "core/routing/router.h"

#include <algorithm>

namespace gosline::routing {

void Router::AdvanceTo(Time now) {
  now = std::max(now, now_);
  while (std::optional<Timer> t = timers_.PopDue(now)) {
    now_ = std::max(now_, t->due);
    HandleTimer(*t);
  }
  now_ = now;
  CheckDirtyPools(now_);
}

// Each timer acts at its own due time, so the outcome does not depend on how
// often the adapter ticks.
void Router::HandleTimer(const Timer& t) {
  switch (t.kind) {
    case TimerKind::kWrapUpEnd: {
      const OperatorRec& o = operators_[t.target];
      if (o.generation != t.generation || o.state != OperatorState::kWrapUp) return;
      EndWrapUp(t.target, t.due, /*announce=*/true);
      return;
    }
    case TimerKind::kNoAnswer: {
      const CallRec& c = calls_[t.target];
      if (!c.live || c.offer_generation != t.generation || c.state != CallState::kRinging) return;
      OfferFailed(t.target, t.due, "no_answer");
      return;
    }
    case TimerKind::kOverflowAfter: {
      const CallRec& c = calls_[t.target];
      if (!c.live || c.generation != t.generation) return;
      FireRule(t.target, t.rule, OverflowReason::kAfter, t.due);
      EnsureStaffed(t.target, t.due);
      TryAssignCall(t.target, t.due);
      return;
    }
    case TimerKind::kPromote: {
      const CallRec& c = calls_[t.target];
      if (!c.live || c.generation != t.generation || c.key.tier() != Tier::kNormal) return;
      SetKey(t.target,
             CallKey::Make(Tier::kOverdue, ToUnixMillis(c.first_enqueued_at), c.key.seq(), t.target));
      return;
    }
  }
}

// Also offers the call to `queue`'s pools. Returns whether any was new.
bool Router::OfferQueue(uint32_t slot, uint32_t queue, OverflowReason reason, Time now) {
  CallRec& c = calls_[slot];
  const size_t before = c.pools.size();
  AddPoolsOf(c, queue);
  if (c.pools.size() == before) return false;
  if (c.state == CallState::kWaiting) {
    for (size_t i = before; i < c.pools.size(); ++i) {
      pools_[c.pools[i]].calls.Insert(c.key);
      MarkDirty(c.pools[i]);
    }
  }
  decisions_.push_back(Decision{DecisionKind::kOverflow, now, c.id, {}, plan_.queues()[queue].id,
                                Duration(0), reason});
  return true;
}

void Router::FireRule(uint32_t slot, uint32_t rule, OverflowReason reason, Time now) {
  CallRec& c = calls_[slot];
  const uint32_t bit = 1u << rule;
  if ((c.fired_rules & bit) != 0) return;
  c.fired_rules |= bit;
  OfferQueue(slot, plan_.queues()[c.home_queue].rules[rule].target_queue, reason, now);
}

// "When the estimated wait passes T or more than L calls wait" for one call
// that has just (re)joined its queue.
void Router::CheckQueueRulesFor(uint32_t slot, Time now) {
  const CallRec& c = calls_[slot];
  const PlanQueue& queue = plan_.queues()[c.home_queue];
  if (!queue.has_queue_level_rules) return;
  const uint32_t g = plan_.GeneralPool(c.home_queue, c.language);
  for (uint32_t r = 0; r < queue.rules.size(); ++r) {
    if (!queue.rules[r].queue_level()) continue;
    const OverflowReason reason = QueueRuleHolds(queue.rules[r], g);
    if (reason != OverflowReason::kNone) FireRule(slot, r, reason, now);
  }
}

// Judged for the last caller in line: the queue's length, and how long that
// caller is expected to wait (unbounded when nobody is working).
OverflowReason Router::QueueRuleHolds(const PlanRule& rule, uint32_t general_pool) const {
  const size_t length = pools_[general_pool].calls.size();
  if (rule.length_above && length > *rule.length_above) return OverflowReason::kLengthAbove;
  if (rule.wait_above && length > 0) {
    const std::optional<Duration> wait = PoolEstimate(general_pool, length - 1);
    if (!wait || *wait > *rule.wait_above) return OverflowReason::kWaitAbove;
  }
  return OverflowReason::kNone;
}

void Router::MarkDirty(uint32_t pool) {
  PoolState& p = pools_[pool];
  if (p.dirty) return;
  const PlanPool& plan_pool = plan_.pools()[pool];
  if (plan_pool.region != kNone || !plan_.queues()[plan_pool.queue].has_queue_level_rules) return;
  p.dirty = true;
  dirty_pools_.push_back(pool);
}

// Queue-level rules of the pools whose length or staffing changed: when one
// starts to hold, every call of the queue waiting there is offered onward; calls
// joining while it holds are handled as they join (CheckQueueRulesFor).
void Router::CheckDirtyPools(Time now) {
  if (dirty_pools_.empty()) return;
  dirty_scratch_.clear();
  dirty_scratch_.swap(dirty_pools_);
  std::vector<uint32_t> slots;
  for (uint32_t g : dirty_scratch_) {
    PoolState& pool = pools_[g];
    pool.dirty = false;
    const PlanPool& plan_pool = plan_.pools()[g];
    const std::vector<PlanRule>& rules = plan_.queues()[plan_pool.queue].rules;
    for (uint32_t r = 0; r < rules.size(); ++r) {
      if (!rules[r].queue_level()) continue;
      const uint32_t bit = 1u << r;
      const OverflowReason reason = QueueRuleHolds(rules[r], g);
      if (reason == OverflowReason::kNone) {
        pool.active_rules &= ~bit;
        continue;
      }
      if ((pool.active_rules & bit) != 0) continue;
      pool.active_rules |= bit;
      slots.clear();
      pool.calls.ForEach([&](const CallKey& k) {
        const CallRec& c = calls_[k.slot()];
        if (c.home_queue == plan_pool.queue && (c.fired_rules & bit) == 0) slots.push_back(k.slot());
      });
      for (uint32_t slot : slots) {
        FireRule(slot, r, reason, now);
        EnsureStaffed(slot, now);
        TryAssignCall(slot, now);
      }
    }
  }
  dirty_scratch_.clear();
}

bool Router::Staffed(const CallRec& call) const {
  for (uint32_t p : call.pools) {
    if (pools_[p].logged_in > 0) return true;
  }
  return false;
}

// No call is left where nobody logged in could take it (R11): it is offered
// along its queue's reroute order, breadth first, until some pool has someone.
// If nobody anywhere could, it keeps waiting everywhere it was offered.
void Router::EnsureStaffed(uint32_t slot, Time now) {
  if (Staffed(calls_[slot])) return;
  std::vector<uint32_t> seen;
  for (uint32_t p : calls_[slot].pools) seen.push_back(plan_.pools()[p].queue);
  std::vector<uint32_t> frontier = {calls_[slot].home_queue};
  for (size_t i = 0; i < frontier.size(); ++i) {
    for (uint32_t q : plan_.queues()[frontier[i]].reroute) {
      if (std::find(seen.begin(), seen.end(), q) != seen.end()) continue;
      seen.push_back(q);
      OfferQueue(slot, q, OverflowReason::kUnstaffed, now);
      if (Staffed(calls_[slot])) return;
      frontier.push_back(q);
    }
  }
}

}  // namespace gosline::routing
