// Router: set-up, call events and the matching of calls to operators.
#include "core/routing/router.h"

#include <tuple>

namespace gosline::routing {

using std::chrono::duration_cast;

Result<Router> Router::Create(const RoutingTopology& topology, const RoutingConfig& config) {
  Result<RoutingPlan> plan = RoutingPlan::Build(topology, config);
  if (!plan.ok()) return plan.status();
  return Router(std::move(plan).value());
}

Router::Router(RoutingPlan plan)
    : plan_(std::move(plan)),
      ready_(plan_.pools().size()),
      operators_(plan_.operators().size()),
      pools_(plan_.pools().size()),
      queue_stats_(plan_.queues().size()) {
  for (uint32_t op = 0; op < operators_.size(); ++op) {
    OperatorRec& o = operators_[op];
    o.first_membership = o.membership_end = uint32_t(-1);
    for (const PlanOperator::Membership& m : plan_.operators()[op].memberships) {
      const uint32_t id = ready_.AddMembership(m.pool, op, m.level);
      if (o.first_membership == uint32_t(-1)) o.first_membership = id;
      o.membership_end = id + 1;
    }
    if (o.first_membership == uint32_t(-1)) o.first_membership = o.membership_end = 0;
  }
  no_answer_lane_ = timers_.AddLane();
  wrap_up_lane_ = timers_.AddLane();
  promote_lane_ = timers_.AddLane();
  for (const PlanQueue& q : plan_.queues()) {
    std::vector<uint32_t>& lanes = rule_lanes_.emplace_back();
    for (const PlanRule& r : q.rules) lanes.push_back(r.after ? timers_.AddLane() : 0);
  }
}

// --- Call records --------------------------------------------------------------

uint32_t Router::NewCall() {
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = uint32_t(calls_.size());
    calls_.emplace_back();
  }
  CallRec& c = calls_[slot];
  c.live = true;
  ++c.generation;
  return slot;
}

void Router::FreeCall(uint32_t slot) {
  CallRec& c = calls_[slot];
  call_index_.Erase(c.data.id);
  c.live = false;
  ++c.generation;
  ++c.offer_generation;
  c.data = CallArrival{};
  c.pools.clear();
  c.op = kNone;
  free_slots_.push_back(slot);
}

Router::CallRec* Router::FindCall(CallId id, uint32_t* slot) {
  const uint32_t found = call_index_.Find(id);
  if (found == CallIndex::kMissing) return nullptr;
  if (slot != nullptr) *slot = found;
  return &calls_[found];
}

const Router::CallRec* Router::FindCall(CallId id) const {
  const uint32_t found = call_index_.Find(id);
  return found == CallIndex::kMissing ? nullptr : &calls_[found];
}

// --- Pools -----------------------------------------------------------------------

void Router::AddPoolsOf(CallRec& call, uint32_t queue) {
  auto add = [&call](uint32_t pool) {
    if (pool == kNone) return;
    for (uint32_t p : call.pools) {
      if (p == pool) return;
    }
    call.pools.push_back(pool);
  };
  add(plan_.GeneralPool(queue, call.language));
  add(plan_.RegionPool(queue, call.language, call.region));
}

void Router::InsertIntoPools(uint32_t slot) {
  const CallRec& c = calls_[slot];
  for (uint32_t p : c.pools) {
    pools_[p].calls.Insert(c.key);
    MarkDirty(p);
  }
}

void Router::RemoveFromPools(uint32_t slot) {
  const CallRec& c = calls_[slot];
  for (uint32_t p : c.pools) {
    pools_[p].calls.Erase(c.key);
    MarkDirty(p);
  }
}

void Router::SetKey(uint32_t slot, CallKey key) {
  const bool waiting = calls_[slot].state == CallState::kWaiting;
  if (waiting) RemoveFromPools(slot);
  calls_[slot].key = key;
  if (waiting) InsertIntoPools(slot);
}

// --- Events ------------------------------------------------------------------------

Status Router::OnCallEnqueued(CallArrival call, Time now) {
  AdvanceTo(now);
  if (call_index_.contains(call.id)) {
    return Status::AlreadyExists("call " + std::to_string(call.id) + " is already routed");
  }
  const std::optional<uint32_t> language = plan_.FindLanguage(call.language);
  if (!language) return Status::InvalidArgument("unknown language \"" + call.language + "\"", "language");
  const uint32_t region = plan_.RegionIndex(call.caller_region);
  uint32_t queue;
  if (!call.queue.empty()) {
    const std::optional<uint32_t> q = plan_.FindQueue(call.queue);
    if (!q) return Status::InvalidArgument("unknown queue \"" + call.queue + "\"", "queue");
    queue = *q;
  } else {
    const std::optional<uint32_t> topic = plan_.FindTopic(call.topic);
    if (!topic) return Status::InvalidArgument("unknown topic \"" + call.topic + "\"", "topic");
    queue = plan_.EntryQueue(*topic, region);
  }
  const uint32_t slot = NewCall();
  CallRec& c = calls_[slot];
  c.language = *language;
  c.region = region;
  c.first_enqueued_at = now_;
  const Duration weight = call.has_open_case ? plan_.settings().open_case_weight : Duration(0);
  c.key = CallKey::Make(Tier::kNormal, ToUnixMillis(now_ - weight), next_seq_++, slot);
  call_index_.Insert(call.id, slot);
  c.data = std::move(call);
  EnterQueue(slot, queue, now_);
  return Status::Ok();
}

void Router::EnterQueue(uint32_t slot, uint32_t queue, Time now) {
  const RoutingSettings& s = plan_.settings();
  {
    CallRec& c = calls_[slot];
    ++c.generation;  // timers of an earlier queue no longer apply
    c.home_queue = queue;
    c.enqueued_at = now;
    c.fired_rules = 0;
    c.state = CallState::kWaiting;
    c.op = kNone;
    c.pools.clear();
    AddPoolsOf(c, queue);
    c.home_pools = uint32_t(c.pools.size());
    if (s.promote_after.count() > 0 && c.key.tier() == Tier::kNormal) {
      const Time due = c.first_enqueued_at + s.promote_after;
      if (due <= now) {
        c.key = CallKey::Make(Tier::kOverdue, ToUnixMillis(c.first_enqueued_at), c.key.seq(), slot);
      } else {
        timers_.Add(promote_lane_, due, TimerKind::kPromote, slot, c.generation);
      }
    }
  }
  InsertIntoPools(slot);
  const std::vector<PlanRule>& rules = plan_.queues()[queue].rules;
  for (uint32_t r = 0; r < rules.size(); ++r) {
    if (!rules[r].after) continue;
    if (rules[r].after->count() <= 0) {
      FireRule(slot, r, OverflowReason::kAfter, now);
    } else {
      timers_.Add(rule_lanes_[queue][r], now + *rules[r].after, TimerKind::kOverflowAfter, slot,
                  calls_[slot].generation, r);
    }
  }
  CheckQueueRulesFor(slot, now);
  EnsureStaffed(slot, now);
  TryAssignCall(slot, now);
}

Status Router::OnCallAnswered(CallId id, Time now) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  if (c->state != CallState::kRinging) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is not ringing an operator");
  }
  c->state = CallState::kConnected;
  c->answered_at = now_;
  ++c->offer_generation;  // the no-answer timer no longer applies
  queue_stats_[c->served_queue].answered_wait.Add(now_ - c->enqueued_at);
  SetOperatorState(c->op, OperatorState::kOnCall, now_);
  return Status::Ok();
}

Status Router::OnOfferFailed(CallId id, Time now, std::string_view reason) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  if (c->state != CallState::kRinging) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is not ringing an operator");
  }
  OfferFailed(slot, now_, reason.empty() ? "no_answer" : reason);
  return Status::Ok();
}

Result<AbandonReport> Router::OnCallAbandoned(CallId id, Time now) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  if (c->state == CallState::kConnected) {
    return Status::FailedPrecondition("call " + std::to_string(id) +
                                      " is connected; its end is OnCallEnded");
  }
  AbandonReport report{plan_.queues()[c->home_queue].id, now_ - c->enqueued_at,
                       now_ - c->first_enqueued_at, c->state == CallState::kRinging};
  uint32_t op = kNone;
  if (c->state == CallState::kWaiting) {
    RemoveFromPools(slot);
  } else {
    // The operator was not at fault: ready again, keeping their place in line.
    op = c->op;
    operators_[op].call = kNone;
    SetOperatorState(op, OperatorState::kReady, now_, {}, operators_[op].ready_before_offer);
  }
  FreeCall(slot);
  if (op != kNone) TryAssignOperator(op, now_);
  return report;
}

Status Router::OnCallEnded(CallId id, Time now) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  if (c->state != CallState::kConnected) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is not connected");
  }
  EndConversation(slot, now_);
  FreeCall(slot);
  return Status::Ok();
}

Status Router::TransferToQueue(CallId id, std::string_view queue_id, Time now) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  const std::optional<uint32_t> queue = plan_.FindQueue(queue_id);
  if (!queue) return Status::InvalidArgument("unknown queue \"" + std::string(queue_id) + "\"", "queue");
  if (c->state == CallState::kRinging) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is ringing an operator");
  }
  if (c->state == CallState::kConnected) {
    EndConversation(slot, now_);
  } else {
    RemoveFromPools(slot);
  }
  // Its place by first arrival: the caller does not queue again from the back.
  CallRec& call = calls_[slot];
  const Duration weight = call.data.has_open_case ? plan_.settings().open_case_weight : Duration(0);
  call.key = CallKey::Make(Tier::kNormal, ToUnixMillis(call.first_enqueued_at - weight), call.key.seq(),
                           slot);
  EnterQueue(slot, *queue, now_);
  return Status::Ok();
}

Status Router::TransferToOperator(CallId id, std::string_view operator_id, Time now) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  const std::optional<uint32_t> op = plan_.FindOperator(operator_id);
  if (!op) return Status::NotFound("unknown operator \"" + std::string(operator_id) + "\"");
  if (c->state == CallState::kRinging) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is ringing an operator");
  }
  if (operators_[*op].state != OperatorState::kReady) {
    return Status::FailedPrecondition("operator \"" + std::string(operator_id) + "\" is " +
                                      OperatorStateName(operators_[*op].state) + ", not ready");
  }
  if (c->state == CallState::kConnected) {
    EndConversation(slot, now_);  // the first operator's wrap-up; the target stays ready
    calls_[slot].enqueued_at = now_;
  }
  Assign(slot, *op, calls_[slot].home_queue, now_);
  return Status::Ok();
}

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
  decisions_.push_back(Decision{DecisionKind::kOffer, now, c.data.id, plan_.operators()[op].id,
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
  decisions_.push_back(Decision{kind, now, c.data.id, plan_.operators()[op].id,
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
  if (s.wrap_up.count() <= 0) {
    EndWrapUp(op, now, /*announce=*/false);
  } else {
    timers_.Add(wrap_up_lane_, now + s.wrap_up, TimerKind::kWrapUpEnd, op, o.generation);
  }
}

// --- Decisions and questions ------------------------------------------------------------

void Router::OnTick(Time now) { AdvanceTo(now); }

std::vector<Decision> Router::Dispatch(Time now) {
  std::vector<Decision> out;
  DispatchInto(now, out);
  return out;
}

void Router::DispatchInto(Time now, std::vector<Decision>& out) {
  AdvanceTo(now);
  out.clear();
  out.swap(decisions_);
}

std::optional<Duration> Router::PoolEstimate(uint32_t general_pool, size_t calls_ahead) const {
  const PoolState& p = pools_[general_pool];
  const QueueStats& stats = queue_stats_[plan_.pools()[general_pool].queue];
  return EstimateWait(calls_ahead, p.all_ready, p.all_working,
                      stats.handle_time.value().value_or(plan_.settings().default_handle_time));
}

Result<Estimate> Router::EstimatedWait(std::string_view queue_id, std::string_view language) const {
  const std::optional<uint32_t> queue = plan_.FindQueue(queue_id);
  if (!queue) return Status::NotFound("unknown queue \"" + std::string(queue_id) + "\"");
  const std::optional<uint32_t> lang = plan_.FindLanguage(language);
  if (!lang) return Status::NotFound("unknown language \"" + std::string(language) + "\"");
  const uint32_t g = plan_.GeneralPool(*queue, *lang);
  const PoolState& p = pools_[g];
  Estimate e;
  e.calls_waiting = p.calls.size();
  e.wait = PoolEstimate(g, e.calls_waiting);
  e.operators_logged_in = p.all_logged_in;
  e.operators_ready = p.all_ready;
  e.recent_answered_wait = queue_stats_[*queue].answered_wait.value();
  return e;
}

Result<CallStatus> Router::StatusOf(CallId id) const {
  const CallRec* c = FindCall(id);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  CallStatus s;
  s.state = c->state;
  s.queue = plan_.queues()[c->home_queue].id;
  s.waited = now_ - c->enqueued_at;
  s.data = &c->data;
  if (c->op != kNone) s.operator_id = plan_.operators()[c->op].id;
  if (c->state == CallState::kWaiting) {
    const uint32_t g = plan_.GeneralPool(c->home_queue, c->language);
    const size_t ahead = pools_[g].calls.CountBefore(c->key);
    s.position = ahead + 1;
    s.estimated_wait = PoolEstimate(g, ahead);
  }
  return s;
}

Result<OperatorStatus> Router::OperatorStatusOf(std::string_view operator_id) const {
  const std::optional<uint32_t> op = plan_.FindOperator(operator_id);
  if (!op) return Status::NotFound("unknown operator \"" + std::string(operator_id) + "\"");
  const OperatorRec& o = operators_[*op];
  OperatorStatus s{o.state, o.reason, o.since, std::nullopt};
  if (o.call != kNone) s.call = calls_[o.call].data.id;
  return s;
}

}  // namespace gosline::routing
