// Router: operator states, and what a free operator takes.
#include "core/routing/router.h"

namespace gosline::routing {
namespace {

int LoggedIn(OperatorState s) { return s != OperatorState::kLoggedOut ? 1 : 0; }
int Working(OperatorState s) {
  return s != OperatorState::kLoggedOut && s != OperatorState::kNotReady ? 1 : 0;
}
int Ready(OperatorState s) { return s == OperatorState::kReady ? 1 : 0; }

void Adjust(uint32_t& counter, int delta) { counter = uint32_t(int64_t(counter) + delta); }

}  // namespace

Status Router::OnOperatorState(std::string_view operator_id, OperatorState state, Time now,
                               std::string_view reason) {
  AdvanceTo(now);
  const std::optional<uint32_t> op = plan_.FindOperator(operator_id);
  if (!op) return Status::NotFound("unknown operator \"" + std::string(operator_id) + "\"");
  if (state != OperatorState::kReady && state != OperatorState::kNotReady &&
      state != OperatorState::kLoggedOut && state != OperatorState::kWrapUp) {
    return Status::InvalidArgument(std::string("an operator cannot ask to be ") +
                                   OperatorStateName(state) + "; the router sets it",
                                   "state");
  }
  OperatorRec& o = operators_[*op];
  if (state == OperatorState::kWrapUp) {
    if (o.state == OperatorState::kOnCall) {
      o.has_after_call = false;
      o.wrap_up_held = true;  // EndConversation starts no timer
      return Status::Ok();
    }
    if (o.state == OperatorState::kWrapUp) {
      ++o.generation;  // the running wrap-up timer no longer applies
      o.has_after_call = false;
      o.wrap_up_held = true;
      return Status::Ok();
    }
    return Status::FailedPrecondition(std::string("wrap-up follows a call; the operator is ") +
                                      OperatorStateName(o.state));
  }
  switch (o.state) {
    case OperatorState::kOnCall:
      // Applies when the call and its wrap-up are over ("not ready after this call").
      o.has_after_call = state != OperatorState::kReady;
      o.after_call = state;
      o.after_call_reason = std::string(reason);
      return Status::Ok();
    case OperatorState::kRinging: {
      if (state == OperatorState::kReady) return Status::Ok();
      const uint32_t slot = o.call;
      TakeBackOffer(slot, now_, DecisionKind::kOfferWithdrawn);
      SetOperatorState(*op, state, now_, reason);
      AfterRequeue(slot, now_);
      return Status::Ok();
    }
    case OperatorState::kWrapUp:
      ++o.generation;  // the wrap-up timer no longer applies
      o.has_after_call = false;
      if (state == OperatorState::kReady) {
        EndWrapUp(*op, now_, /*announce=*/false);
      } else {
        SetOperatorState(*op, state, now_, reason);
      }
      return Status::Ok();
    default:
      if (o.state == state) {  // ready again keeps ready_since: no jumping the line
        if (state == OperatorState::kNotReady) o.reason = std::string(reason);
        return Status::Ok();
      }
      if (state == OperatorState::kReady) {
        MakeReady(*op, now_, now_);
      } else {
        SetOperatorState(*op, state, now_, reason);
      }
      return Status::Ok();
  }
}

// The one place an operator's state changes: keeps the ready lists and every
// pool's counts (staffed, working, ready) in step with it.
void Router::SetOperatorState(uint32_t op, OperatorState state, Time now, std::string_view reason,
                              std::optional<Time> ready_since) {
  OperatorRec& o = operators_[op];
  const OperatorState old = o.state;
  if (state != OperatorState::kWrapUp) o.wrap_up_held = false;
  if (old == OperatorState::kReady) {
    for (uint32_t m = o.first_membership; m < o.membership_end; ++m) ready_.Remove(m);
  }
  const int d_logged = LoggedIn(state) - LoggedIn(old);
  const int d_working = Working(state) - Working(old);
  const int d_ready = Ready(state) - Ready(old);
  if (d_logged != 0 || d_working != 0) {
    for (uint32_t m = o.first_membership; m < o.membership_end; ++m) {
      const uint32_t p = ready_.pool_of(m);
      PoolState& pool = pools_[p];
      Adjust(pool.logged_in, d_logged);
      Adjust(pool.working, d_working);
      if (d_logged < 0 && pool.logged_in == 0 && !pool.calls.empty()) unstaffed_pools_.push_back(p);
    }
  }
  if (d_logged != 0 || d_working != 0 || d_ready != 0) {
    for (uint32_t g : plan_.operators()[op].general_pools) {
      PoolState& pool = pools_[g];
      Adjust(pool.all_logged_in, d_logged);
      Adjust(pool.all_working, d_working);
      Adjust(pool.all_ready, d_ready);
      MarkDirty(g);
    }
  }
  o.state = state;
  o.since = now;
  o.reason = state == OperatorState::kNotReady ? std::string(reason) : std::string();
  if (state == OperatorState::kReady) {
    o.ready_since = ready_since.value_or(now);
    for (uint32_t m = o.first_membership; m < o.membership_end; ++m) ready_.Insert(m, o.ready_since);
  }
  if (!unstaffed_pools_.empty()) RerouteUnstaffed(now);
}

// The call a free operator would take: the one that has waited longest (by
// priority, see call_key.h) among the pools they serve; null if none.
const CallKey* Router::BestCallFor(uint32_t op, uint32_t* pool) const {
  const OperatorRec& o = operators_[op];
  const CallKey* best = nullptr;
  for (uint32_t m = o.first_membership; m < o.membership_end; ++m) {
    const uint32_t p = ready_.pool_of(m);
    const CallKey* front = pools_[p].calls.Front();
    if (front != nullptr && (best == nullptr || *front < *best)) {
      best = front;
      *pool = p;
    }
  }
  return best;
}

// The operator is free: takes the best waiting call at once, or waits in the
// ready lists as ready since `ready_since`. Going straight to ringing spares
// adding them to every list only to take them out again.
void Router::MakeReady(uint32_t op, Time now, Time ready_since) {
  uint32_t pool = kNone;
  const CallKey* best = BestCallFor(op, &pool);
  if (best == nullptr) {
    SetOperatorState(op, OperatorState::kReady, now, {}, ready_since);
    return;
  }
  operators_[op].ready_since = ready_since;
  const uint32_t slot = best->slot();
  Assign(slot, op, plan_.pools()[pool].queue, now);
}

// Wrap-up is over: ready, or what the operator asked for during the call.
void Router::EndWrapUp(uint32_t op, Time now, bool announce) {
  OperatorRec& o = operators_[op];
  ++o.generation;
  if (o.has_after_call) {
    o.has_after_call = false;
    SetOperatorState(op, o.after_call, now, o.after_call_reason);
    return;
  }
  if (announce) {
    decisions_.push_back(Decision{DecisionKind::kOperatorReady, now, 0, plan_.operators()[op].id,
                                  {}, Duration(0), OverflowReason::kNone});
  }
  MakeReady(op, now, now);
}

// The last operator who could take some waiting calls logged out: those calls
// go elsewhere at once (R11).
void Router::RerouteUnstaffed(Time now) {
  std::vector<uint32_t> pools;
  pools.swap(unstaffed_pools_);
  std::vector<uint32_t> slots;
  for (uint32_t p : pools) {
    pools_[p].calls.ForEach([&slots](const CallKey& k) { slots.push_back(k.slot()); });
  }
  for (uint32_t slot : slots) {
    if (!calls_[slot].live || calls_[slot].state != CallState::kWaiting) continue;
    EnsureStaffed(slot, now);
    TryAssignCall(slot, now);
  }
}

}  // namespace gosline::routing
