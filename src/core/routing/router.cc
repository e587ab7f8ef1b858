// Router: set-up and call events.
#include "core/routing/router.h"

namespace gosline::routing {

Result<Router> Router::Create(const RoutingTopology& topology, const RoutingConfig& config) {
  GOSLINE_ASSIGN_OR_RETURN(RoutingPlan plan, RoutingPlan::Build(topology, config));
  return Router(std::move(plan));
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
  call_index_.Erase(c.id);
  c.id = 0;
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
  c.id = call.id;
  const Time arrived =
      call.first_arrived_at && *call.first_arrived_at < now_ ? *call.first_arrived_at : now_;
  c.first_enqueued_at = arrived;
  const Duration weight = call.has_open_case ? plan_.settings().open_case_weight : Duration(0);
  c.key = CallKey::Make(Tier::kNormal, ToUnixMillis(arrived - weight), next_seq_++, slot);
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
    op = c->op;
    operators_[op].call = kNone;
  }
  FreeCall(slot);
  // The operator was not at fault: ready again, keeping their place in line.
  if (op != kNone) MakeReady(op, now_, operators_[op].ready_before_offer);
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

Result<uint32_t> Router::TransferSlot(CallId id, Time now, Status target) {
  AdvanceTo(now);
  uint32_t slot;
  CallRec* c = FindCall(id, &slot);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  if (!target.ok()) return target;
  if (c->state == CallState::kRinging) {
    return Status::FailedPrecondition("call " + std::to_string(id) + " is ringing an operator");
  }
  return slot;
}

Status Router::TransferToQueue(CallId id, std::string_view queue_id, Time now) {
  const std::optional<uint32_t> queue = plan_.FindQueue(queue_id);
  Result<uint32_t> found = TransferSlot(
      id, now,
      queue ? Status::Ok()
            : Status::InvalidArgument("unknown queue \"" + std::string(queue_id) + "\"", "queue"));
  if (!found.ok()) return found.status();
  const uint32_t slot = *found;
  if (calls_[slot].state == CallState::kConnected) {
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
  const std::optional<uint32_t> op = plan_.FindOperator(operator_id);
  Result<uint32_t> found = TransferSlot(
      id, now,
      op ? Status::Ok() : Status::NotFound("unknown operator \"" + std::string(operator_id) + "\""));
  if (!found.ok()) return found.status();
  const uint32_t slot = *found;
  if (operators_[*op].state != OperatorState::kReady) {
    return Status::FailedPrecondition("operator \"" + std::string(operator_id) + "\" is " +
                                      OperatorStateName(operators_[*op].state) + ", not ready");
  }
  if (calls_[slot].state == CallState::kConnected) {
    EndConversation(slot, now_);  // the first operator's wrap-up; the target stays ready
    calls_[slot].enqueued_at = now_;
  }
  Assign(slot, *op, calls_[slot].home_queue, now_);
  return Status::Ok();
}

}  // namespace gosline::routing
