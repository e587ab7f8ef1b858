// Router: matching calls to operators, offers and their end.
#include <tuple>

#include "core/routing/router.h"

namespace gosline::routing {

// --- Matching ------------------------------------------------------------------------

// A waiting call takes the best ready operator of its pools: its own queue's
// pools before overflow ones, then the highest skill level, then the longest idle.
void Router::TryAssignCall(uint32_t slot, Time now) {
  const CallRec& c = calls_[slot];
  if (!c.live || c.state != CallState::kWaiting) return;
  bool found = false;
  std::tuple<uint32_t, int, Time, uint32_t> best;  // (rank, -level, ready_since, op)
  uint32_t best_pool = kNone;
  for (uint32_t i = 0; i < c.pools.size(); ++i) {
    const std::optional<ReadyOperators::Candidate> cand = ready_.Best(c.pools[i]);
    if (!cand) continue;
    const auto key = std::make_tuple(i < c.home_pools ? 0u : 1u, -cand->level, cand->ready_since, cand->op);
    if (!found || key < best) {
      found = true;
      best = key;
      best_pool = c.pools[i];
    }
  }
  if (found) Assign(slot, std::get<3>(best), plan_.pools()[best_pool].queue, now);
}

void Router::Assign(uint32_t slot, uint32_t op, uint32_t queue, Time now) {
  if (calls_[slot].state == CallState::kWaiting) RemoveFromPools(slot);
  CallRec& c = calls_[slot];
  c.state = CallState::kRinging;
  c.op = op;
  c.served_queue = queue;
  ++c.offer_generation;
  timers_.Add(no_answer_lane_, now + plan_.settings().no_answer, TimerKind::kNoAnswer, slot,
              c.offer_generation);
  OperatorRec& o = operators_[op];
  o.ready_before_offer = o.ready_since;
  SetOperatorState(op, OperatorState::kRinging, now);
  o.call = slot;
  decisions_.push_back(Decision{DecisionKind::kOffer, now, c.id, plan_.operators()[op].id,
                                plan_.queues()[queue].id, now - c.enqueued_at, OverflowReason::kNone});
}

// The offer is over without an answer: the call waits again at the head of
// its queue (and wherever else it was offered). Returns the operator, whose
// new state the caller sets.
uint32_t Router::TakeBackOffer(uint32_t slot, Time now, DecisionKind kind) {
  CallRec& c = calls_[slot];
  const uint32_t op = c.op;
  c.op = kNone;
  ++c.offer_generation;
  c.state = CallState::kWaiting;
  c.key = CallKey::Make(Tier::kHead, c.key.order_ms(), c.key.seq(), slot);
  InsertIntoPools(slot);
  operators_[op].call = kNone;
  decisions_.push_back(Decision{kind, now, c.id, plan_.operators()[op].id,
                                plan_.queues()[c.home_queue].id, Duration(0), OverflowReason::kNone});
  return op;
}

void Router::OfferFailed(uint32_t slot, Time now, std::string_view reason) {
  const uint32_t op = TakeBackOffer(slot, now, DecisionKind::kOfferFailed);
  SetOperatorState(op, OperatorState::kNotReady, now, reason);
  AfterRequeue(slot, now);
}

void Router::AfterRequeue(uint32_t slot, Time now) {
  CheckQueueRulesFor(slot, now);
  EnsureStaffed(slot, now);
  TryAssignCall(slot, now);
}

// A connected call's operator is done with it: wrap-up, then ready by itself.
void Router::EndConversation(uint32_t slot, Time now) {
  CallRec& c = calls_[slot];
  const uint32_t op = c.op;
  const RoutingSettings& s = plan_.settings();
  queue_stats_[c.served_queue].handle_time.Add(now - c.answered_at + s.wrap_up);
  for (uint32_t l = 0; l < plan_.languages().size(); ++l) MarkDirty(plan_.GeneralPool(c.served_queue, l));
  c.op = kNone;
  OperatorRec& o = operators_[op];
  o.call = kNone;
  ++o.generation;
  SetOperatorState(op, OperatorState::kWrapUp, now);
  if (o.wrap_up_held) return;  // asked for during the call: until they say otherwise
  if (s.wrap_up.count() <= 0) {
    EndWrapUp(op, now, /*announce=*/false);
  } else {
    timers_.Add(wrap_up_lane_, now + s.wrap_up, TimerKind::kWrapUpEnd, op, o.generation);
  }
}

}  // namespace gosline::routing
