// The ACD decision core (R9-R12): which waiting call goes to which free
// operator. Pure: events and the time they happened come in, decisions come
// out; no clock, thread or I/O, so the same event log always gives the same
// decisions (replayable, testable on a simulated clock).
//
//   skills    a call is offered only to operators with its queue's topic and
//             its language; among free ones the highest skill level, then the
//             longest idle (fairness)
//   priority  an open case counts as `open_case_weight` of extra waiting (R9);
//             see call_key.h for why nobody starves
//   region    regional topics enter the caller's regional centre's queue (R10)
//   overflow  per-queue rules also offer the call elsewhere after N s, above an
//             estimated wait or above a queue length; a call whose queue has
//             nobody logged in who could take it is rerouted at once (R11)
//   transfer  to a queue or an operator, keeping the call's data (R12)
//
// Every event first runs the timers due up to its time (wrap-up ends,
// no-answer, overflow, aging), so decisions never wait for a tick. Times
// earlier than the latest seen count as the latest.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/routing/call_index.h"
#include "core/routing/call_key.h"
#include "core/routing/ready_operators.h"
#include "core/routing/routing_config.h"
#include "core/routing/routing_plan.h"
#include "core/routing/routing_types.h"
#include "core/routing/timer_queue.h"
#include "core/routing/waiting_calls.h"
#include "core/routing/wait_estimate.h"

namespace gosline::routing {

class Router {
 public:
  static Result<Router> Create(const RoutingTopology& topology, const RoutingConfig& config);

  // --- Operators -------------------------------------------------------------
  // `state` is kReady, kNotReady (with a reason) or kLoggedOut; the others are
  // the router's to set. Asked during a call, it applies when the call and its
  // wrap-up end; asked while ringing, the call goes back to the head of its queue.
  // kWrapUp asks for more after-call work: during the call or its wrap-up, the
  // wrap-up then lasts until the operator asks for ready, not ready or log-out
  // (the wallboard shows how long); at other times FailedPrecondition.
  Status OnOperatorState(std::string_view operator_id, OperatorState state, Time now,
                         std::string_view reason = {});

  // --- Calls -----------------------------------------------------------------
  Status OnCallEnqueued(CallArrival call, Time now);
  Status OnCallAnswered(CallId call, Time now);
  // Ringing ended without an answer (busy, unreachable, rejected): as no-answer,
  // the operator is set not ready with `reason` and the call goes back to the
  // head of its queue. The router does this itself after no_answer.
  Status OnOfferFailed(CallId call, Time now, std::string_view reason = "no_answer");
  // The caller hung up while waiting or ringing.
  Result<AbandonReport> OnCallAbandoned(CallId call, Time now);
  // A connected call ended; the operator goes to wrap-up.
  Status OnCallEnded(CallId call, Time now);
  // The call (connected or waiting) waits in `queue` now, keeping its data and
  // its place by first arrival; its operator, if any, goes to wrap-up.
  Status TransferToQueue(CallId call, std::string_view queue, Time now);
  // The call is offered straight to `operator_id`, who must be ready.
  Status TransferToOperator(CallId call, std::string_view operator_id, Time now);

  // --- Configuration (router_reconfigure.cc) ----------------------------------
  // Applies a new topology and `routing:` section while calls go on
  // (queues, skills, overflow edited without a restart). Operators keep their
  // state and place in line, calls their place, data and operator; waiting calls
  // are pooled again under the new skills and rules. InvalidArgument for a
  // configuration Create would refuse; FailedPrecondition, changing nothing,
  // when it would strand live work (a removed queue with calls, a removed
  // operator logged in). Runs the timers due by `now` first, as every event does.
  // Decisions handed out before are views into the old configuration: use them first.
  Status Reconfigure(const RoutingTopology& topology, const RoutingConfig& config, Time now);

  // --- Time and decisions ----------------------------------------------------
  void OnTick(Time now);
  // Runs the timers due by `now` and hands over every decision made since the
  // last call, in the order made.
  std::vector<Decision> Dispatch(Time now);
  void DispatchInto(Time now, std::vector<Decision>& out);  // reuses `out`'s storage

  // --- Questions -------------------------------------------------------------
  // What a caller joining `queue` in `language` now would wait (R3, R11).
  Result<Estimate> EstimatedWait(std::string_view queue, std::string_view language) const;
  // Position and estimated wait of a waiting call, announced to the caller.
  Result<CallStatus> StatusOf(CallId call) const;
  Result<OperatorStatus> OperatorStatusOf(std::string_view operator_id) const;
  // Just the state (no position to count): nullopt for a call not routed.
  std::optional<CallState> CallStateOf(CallId call) const;
  size_t calls() const { return call_index_.size(); }
  // Recounts everything kept incrementally and checks that no free operator
  // sits beside a call they could take. O(everything): for tests and debugging.
  Status CheckConsistency() const;
  Time now() const { return now_; }

 private:
  struct OperatorRec {
    OperatorState state = OperatorState::kLoggedOut;
    std::string reason;
    Time since{};
    Time ready_since{};
    Time ready_before_offer{};  // restored when the offered call vanishes
    uint32_t call = kNone;
    uint32_t generation = 0;    // wrap-up timers of older calls are ignored
    bool has_after_call = false;
    bool wrap_up_held = false;  // the operator asked for more wrap-up: no timer ends it
    OperatorState after_call = OperatorState::kReady;
    std::string after_call_reason;
    uint32_t first_membership = 0;
    uint32_t membership_end = 0;
  };
  struct CallRec {  // what routing reads first; the IVR's data last
    CallId id = 0;
    CallState state = CallState::kWaiting;
    bool live = false;
    uint32_t generation = 0;        // per queue entry; older timers are ignored
    uint32_t offer_generation = 0;  // per offer to an operator
    uint32_t home_queue = kNone;
    uint32_t language = kNone;
    uint32_t region = kNone;
    CallKey key;
    std::vector<uint32_t> pools;  // offered to; the first `home_pools` are its queue's
    uint32_t home_pools = 0;
    uint32_t fired_rules = 0;     // bit per rule of the home queue already applied
    Time enqueued_at{};           // in the current queue
    Time first_enqueued_at{};
    uint32_t op = kNone;
    uint32_t served_queue = kNone;
    Time answered_at{};
    CallArrival data;
  };
  struct PoolState {
    WaitingCalls calls;
    uint32_t logged_in = 0;  // members logged in: the pool is staffed
    uint32_t working = 0;    // members logged in and not on a break
    // General pools only: every operator of the (queue, language), region
    // specialists included, for the estimated wait.
    uint32_t all_logged_in = 0;
    uint32_t all_working = 0;
    uint32_t all_ready = 0;
    uint32_t active_rules = 0;  // queue-level rules whose condition held at the last check
    bool dirty = false;
  };
  struct QueueStats {
    MovingAverage handle_time;
    MovingAverage answered_wait;
  };

  explicit Router(RoutingPlan plan);

  // router.cc: call records and events; router_matching.cc: offers
  uint32_t NewCall();
  void FreeCall(uint32_t slot);
  CallRec* FindCall(CallId id, uint32_t* slot = nullptr);
  const CallRec* FindCall(CallId id) const;
  void EnterQueue(uint32_t slot, uint32_t queue, Time now);
  void AddPoolsOf(CallRec& call, uint32_t queue);
  void InsertIntoPools(uint32_t slot);
  void RemoveFromPools(uint32_t slot);
  void SetKey(uint32_t slot, CallKey key);
  void TryAssignCall(uint32_t slot, Time now);
  void Assign(uint32_t slot, uint32_t op, uint32_t queue, Time now);
  uint32_t TakeBackOffer(uint32_t slot, Time now, DecisionKind kind);
  void OfferFailed(uint32_t slot, Time now, std::string_view reason);
  void AfterRequeue(uint32_t slot, Time now);
  void EndConversation(uint32_t slot, Time now);
  // What both transfers check first, in this order: the call is routed, the
  // target exists (`target`: ok, or why not) and no operator is being rung
  // for the call. The call's slot, or the first failure.
  Result<uint32_t> TransferSlot(CallId id, Time now, Status target);

  // router_operators.cc
  void SetOperatorState(uint32_t op, OperatorState state, Time now, std::string_view reason = {},
                        std::optional<Time> ready_since = std::nullopt);
  const CallKey* BestCallFor(uint32_t op, uint32_t* pool) const;
  void MakeReady(uint32_t op, Time now, Time ready_since);
  void EndWrapUp(uint32_t op, Time now, bool announce);
  void RerouteUnstaffed(Time now);

  // router_reconfigure.cc
  Status CheckNothingStranded(const RoutingPlan& next) const;
  void TakeOver(Router& old);
  std::vector<uint32_t> TakeOverOperators(const Router& old);
  void TakeOverCall(const Router& old, uint32_t slot, const std::vector<uint32_t>& op_map,
                    std::vector<uint32_t>& offered_before);
  void DropRepeatedOverflows(const std::vector<std::vector<uint32_t>>& offered_before);
  std::string_view KeepId(std::string_view id, bool is_queue);

  // router_overflow.cc: overflow, reroute, timers
  void AdvanceTo(Time now);
  void HandleTimer(const Timer& timer);
  bool OfferQueue(uint32_t slot, uint32_t queue, OverflowReason reason, Time now);
  void FireRule(uint32_t slot, uint32_t rule, OverflowReason reason, Time now);
  void CheckQueueRulesFor(uint32_t slot, Time now);
  OverflowReason QueueRuleHolds(const PlanRule& rule, uint32_t general_pool) const;
  void CheckDirtyPools(Time now);
  void MarkDirty(uint32_t pool);
  bool Staffed(const CallRec& call) const;
  void EnsureStaffed(uint32_t slot, Time now);
  std::optional<Duration> PoolEstimate(uint32_t general_pool, size_t calls_ahead) const;

  RoutingPlan plan_;
  ReadyOperators ready_;
  std::vector<OperatorRec> operators_;
  std::vector<PoolState> pools_;
  std::vector<QueueStats> queue_stats_;
  std::vector<CallRec> calls_;
  std::vector<uint32_t> free_slots_;
  CallIndex call_index_;
  TimerQueue timers_;
  uint32_t no_answer_lane_ = 0, wrap_up_lane_ = 0, promote_lane_ = 0;
  std::vector<std::vector<uint32_t>> rule_lanes_;  // [queue][rule]
  std::vector<Decision> decisions_;
  std::vector<uint32_t> dirty_pools_;
  std::vector<uint32_t> dirty_scratch_;
  std::vector<uint32_t> unstaffed_pools_;
  uint64_t next_seq_ = 0;
  Time now_{};
  // Ids a reconfiguration removed that decisions not yet handed out still name.
  std::set<std::string, std::less<>> retired_ids_;
};

}  // namespace gosline::routing
