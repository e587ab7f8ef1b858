// The contact centre (R8-R14, R29, R30): implements CallCentrePort
// for telephony, owns the routing core and the operators' states, files a
// case per call and writes what happened onto the call record.
//
// Threads: every event (from telephony, from the HTTP API, the ticks) runs
// under one lock, mu_, so the Router sees one event at a time. Telephony's
// events only queue under events_mu_ (they never wait on the router or the
// disk); a worker thread drains the queue and ticks every `tick` with the
// clock's time. Nothing waits on the disk under mu_: the writes an event
// decides (outcomes, case notes) and the calls into the CallConnector are
// made after mu_ is let go, under flush_mu_, in the order decided, before
// the call that decided them returns (an operator's state change is
// acknowledged only once its writes are done).
// Tests skip Start() and call Step() on a ManualClock: deterministic.
//
// Case work (SQLite) runs on the worker: a call entering a queue waits for
// its case lookup (milliseconds, outside mu_) before it is routed, so the
// operator's phone always gets the case number.
//
// Lock order: drain_mu_ -> mu_ -> flush_mu_; events_mu_ and outcome_mu_ are
// taken last, alone.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/case_service.h"
#include "core/common/clock.h"
#include "app/contact_centre/call_centre_port.h"
#include "app/contact_centre/call_cases.h"
#include "app/contact_centre/centre_snapshot.h"
#include "app/contact_centre/corrective_actions.h"
#include "core/common/thread_annotations.h"
#include "core/routing/router.h"
#include "core/stats/queue_statistics.h"
#include "storage/call_outcome_store.h"
#include "storage/recording_store.h"

namespace gosline::contact_centre {

struct CentreOptions {
  Duration announce_every{std::chrono::seconds(45)};
  Duration tick{std::chrono::milliseconds(200)};
  Duration publish_every{std::chrono::seconds(1)};  // subscribers get at most this often
  // A call outcome whose telephony row has not appeared by then gets a row of its own.
  Duration outcome_row_grace{std::chrono::minutes(2)};
  std::map<std::string, std::string> contacts;  // operator id -> static SIP URI
  stats::StatsConfig stats;                      // service level 30 s over 15 min and today
  // R13: rules that act by themselves past thresholds; judged every corrective_every.
  std::vector<corrective::CorrectiveRule> corrective;
  Duration corrective_every{std::chrono::seconds(1)};
};

struct TransferTarget {
  std::string queue;        // one of the two
  std::string operator_id;
};

class ContactCentre final : public CallCentrePort {
 public:
  // `outcomes` may be null (no call records); `recordings` too (the
  // recordings are then only linked to their cases, R23/R24 cannot find
  // them: tests without telephony).
  static Result<std::unique_ptr<ContactCentre>> Create(const routing::RoutingTopology& topology,
                                                       const routing::RoutingConfig& config,
                                                       CentreOptions options, CaseService& cases,
                                                       CallOutcomeStore* outcomes,
                                                       const Clock& clock,
                                                       RecordingStore* recordings = nullptr);
  ~ContactCentre() override;

  // Telephony's side; may be set once before or after Start.
  void SetConnector(CallConnector* connector);
  void Start();  // the worker thread
  // Idempotent; handles the events already queued, without the connector.
  // Once it returns the connector is not called again (telephony may stop);
  // a later call handles what was queued since.
  void Stop();
  // Runs every queued event and one tick at clock.Now() on the calling thread.
  void Step();

  // --- CallCentrePort (any thread; queued) ---------------------------------
  void CallEnqueued(WaitingCall call, Time now) override;
  void OperatorAnswered(CallId call, Time now) override;
  void OperatorRingFailed(CallId call, std::string reason, Time now) override;
  void CallerHungUp(CallId call, Time now) override;
  void OperatorHungUp(CallId call, Time now) override;
  void CallbackRequested(CallId call, Time now) override;
  void RecordingSaved(CallId call, SavedRecording recording) override;

  // --- Operators and supervisors (any thread; applied at once) ---------------
  // state: "ready", "not_ready", "logged_out". NotFound for an unknown
  // operator, InvalidArgument for an unknown state, Conflict for logging out
  // during a call (finish or transfer it first).
  Status SetOperatorState(const std::string& operator_id, const std::string& state,
                          const std::string& reason);
  // In a line of several nodes one routing leader decides for all (R4,
  // R11): once `forward` is set, SetOperatorState checks the request
  // (the state's name, a known operator) and hands it to `forward` (to the
  // leader) instead of applying it. ApplyOperatorState applies, always.
  using OperatorStateForward = std::function<Status(
      const std::string& operator_id, const std::string& state, const std::string& reason)>;
  void ForwardOperatorStates(OperatorStateForward forward);
  Status ApplyOperatorState(const std::string& operator_id, const std::string& state,
                            const std::string& reason);
  Result<OperatorView> Operator(const std::string& operator_id) const;
  // NotFound when the operator has no call now.
  Result<ScreenPop> ScreenPopOf(const std::string& operator_id) const;
  Status Transfer(CallId call, const TransferTarget& target);
  bool HasOperator(const std::string& operator_id) const;
  // The case filed for a call, live or recently ended (a recording is sealed
  // to it, R30); NotFound for a call without one.
  Result<std::string> CaseOfCall(CallId call) const;
  CentreSnapshot Snapshot() const;

  // --- Administration (any thread; applied at once) ---------------------------
  // Queues, operators' skills and overflow edited while calls go on:
  // see Router::Reconfigure for what operators and calls keep. Telephony's
  // events already queued are handled first, under the old configuration.
  // Of `options`, announce_every, contacts and the corrective rules apply
  // (the others are fixed at start); active corrective actions whose rule
  // changed or went are undone and reported to the listeners. InvalidArgument for a bad configuration, FailedPrecondition when
  // it would strand live work; either way nothing changes.
  Status Reconfigure(routing::RoutingTopology topology, routing::RoutingConfig config,
                     CentreOptions options);

  // Called with the snapshot after changes, at most every publish_every, on
  // the thread that ran the change, outside the centre's lock.
  using Subscriber = std::function<void(const CentreSnapshot& snapshot)>;
  void Subscribe(Subscriber subscriber);

  // Called with every corrective action started or ended (R13), in order, on
  // the thread that ran the change, outside the centre's lock: the audit
  // log, the wallboard's alarm, the log (and a webhook) listen here.
  using CorrectiveListener = std::function<void(const corrective::Transition& transition)>;
  void OnCorrectiveAction(CorrectiveListener listener);

 private:
  struct LiveCall;
  ContactCentre(routing::Router router, const routing::RoutingTopology& topology,
                const routing::RoutingConfig& config, CentreOptions options, CaseService& cases,
                CallOutcomeStore* outcomes, RecordingStore* recordings, const Clock& clock,
                CorrectiveActions corrective);

  using Action = std::function<void(CallConnector&)>;
  using Write = std::function<void()>;  // a durable write decided under mu_
  // A queued event: `prepare` (may be empty) runs first without mu_ (the
  // slow part: SQLite), then `apply` under mu_.
  struct QueuedEvent {
    std::function<void()> prepare;
    std::function<void(Time)> apply;
  };
  // What one decision leaves to do once mu_ is let go.
  struct Outgoing {
    std::vector<Write> writes;
    std::vector<Action> actions;
    CallConnector* connector = nullptr;
    std::unique_lock<Mutex> order;  // flush_mu_, taken before mu_ is let go
  };
  void Post(std::function<void(Time)> event) GOSLINE_EXCLUDES(events_mu_);
  void Post(QueuedEvent event) GOSLINE_EXCLUDES(events_mu_);
  void Run() GOSLINE_EXCLUDES(events_mu_, mu_);
  void DrainAndTick() GOSLINE_EXCLUDES(drain_mu_, mu_);
  // Takes the queued events and runs their prepare steps (mu_ not held).
  std::deque<QueuedEvent> TakeQueuedEvents() GOSLINE_REQUIRES(drain_mu_) GOSLINE_EXCLUDES(mu_);
  void ApplyQueuedEvents(std::deque<QueuedEvent>& events) GOSLINE_REQUIRES(mu_);
  // Hands what was decided under mu_ to the caller, to Deliver once mu_ is
  // let go; holds flush_mu_ when there is anything, so delivery keeps the
  // decision order across threads.
  Outgoing TakeOutgoing() GOSLINE_REQUIRES(mu_);
  static void Deliver(Outgoing& out);
  void Apply(const std::vector<routing::Decision>& decisions) GOSLINE_REQUIRES(mu_);
  void Dispatch(Time now) GOSLINE_REQUIRES(mu_);

  void OnEnqueued(WaitingCall call, const CallCase& filed, Time now) GOSLINE_REQUIRES(mu_);
  void OnAnswered(CallId id, Time now) GOSLINE_REQUIRES(mu_);
  void OnRingFailed(CallId id, const std::string& reason, Time now) GOSLINE_REQUIRES(mu_);
  void OnCallerHungUp(CallId id, Time now) GOSLINE_REQUIRES(mu_);
  void OnOperatorHungUp(CallId id, Time now) GOSLINE_REQUIRES(mu_);
  void OnCallback(CallId id, Time now) GOSLINE_REQUIRES(mu_);
  void OnRecording(CallId id, const SavedRecording& recording, Time now) GOSLINE_REQUIRES(mu_);
  void OnTick(Time now) GOSLINE_REQUIRES(mu_);
  void EvaluateCorrective(Time now) GOSLINE_REQUIRES(mu_);
  // Carries out transitions already taken by corrective_: the router gets
  // the overflow routes now open, the listeners hear of each after mu_.
  void ApplyCorrective(const std::vector<corrective::Transition>& transitions, Time now)
      GOSLINE_REQUIRES(mu_);
  void EndConversation(LiveCall& c, Time now) GOSLINE_REQUIRES(mu_);
  void Finish(CallId id, const std::string& outcome, Time now) GOSLINE_REQUIRES(mu_);
  void Announce(CallId id, LiveCall& c, Time now) GOSLINE_REQUIRES(mu_);
  void CheckWrapUps(Time now) GOSLINE_REQUIRES(mu_);
  void WriteOutcome(LiveCall& c, Time now) GOSLINE_REQUIRES(mu_);
  void RetryOutcomes(Time now) GOSLINE_REQUIRES(mu_);
  CentreSnapshot BuildSnapshot(Time now) const GOSLINE_REQUIRES(mu_);
  OperatorView ViewOf(const routing::OperatorProfile& p) const GOSLINE_REQUIRES(mu_);
  std::string CaseNote(const LiveCall& c) const;

  const Duration tick_;  // options_.tick, fixed at start; read by the worker
  CaseService& cases_;  // thread-safe; written only from Outgoing writes and event prepares
  CallOutcomeStore* const outcomes_;  // likewise
  RecordingStore* const recordings_;  // likewise
  const Clock& clock_;

  // Taken by whoever drains telephony's events, from taking them off the
  // queue (and filing their cases, without mu_) until they are applied
  // under mu_: events apply in the order they came.
  Mutex drain_mu_ GOSLINE_ACQUIRED_BEFORE(mu_);
  mutable Mutex mu_;
  // Reconfigure replaces these three.
  routing::RoutingTopology topology_ GOSLINE_GUARDED_BY(mu_);
  routing::RoutingConfig config_ GOSLINE_GUARDED_BY(mu_);
  CentreOptions options_ GOSLINE_GUARDED_BY(mu_);
  routing::Router router_ GOSLINE_GUARDED_BY(mu_);
  // R13, R18: per queue service level, abandoned
  stats::QueueStatistics stats_ GOSLINE_GUARDED_BY(mu_);
  // R13: the rules' state; config_ stays as configured, the router gets
  // corrective_.WithOpenOverflows(config_).
  CorrectiveActions corrective_ GOSLINE_GUARDED_BY(mu_);
  Time last_corrective_ GOSLINE_GUARDED_BY(mu_) = Time{};
  std::vector<CorrectiveListener> corrective_listeners_ GOSLINE_GUARDED_BY(mu_);
  std::map<CallId, std::unique_ptr<LiveCall>> calls_ GOSLINE_GUARDED_BY(mu_);
  // Calls whose operator is in wrap-up: operator id -> call.
  std::map<std::string, CallId> wrap_ups_ GOSLINE_GUARDED_BY(mu_);
  // Ended calls kept for a late recording.
  std::deque<std::unique_ptr<LiveCall>> finished_ GOSLINE_GUARDED_BY(mu_);
  std::vector<Action> outbox_ GOSLINE_GUARDED_BY(mu_);
  std::vector<Write> writes_ GOSLINE_GUARDED_BY(mu_);
  CallConnector* connector_ GOSLINE_GUARDED_BY(mu_) = nullptr;
  std::vector<Subscriber> subscribers_ GOSLINE_GUARDED_BY(mu_);
  OperatorStateForward forward_ GOSLINE_GUARDED_BY(mu_);
  bool dirty_ GOSLINE_GUARDED_BY(mu_) = true;
  Time last_publish_ GOSLINE_GUARDED_BY(mu_) = Time{};
  Time last_retry_ GOSLINE_GUARDED_BY(mu_) = Time{};

  // Keeps the writes and connector calls in decision order across threads;
  // guards no data (taken through Outgoing::order).
  Mutex flush_mu_;

  // Outcome writes that did not apply (no telephony row yet, or an error),
  // reported by the writes after mu_ was let go; RetryOutcomes takes them.
  struct UnsettledOutcome {
    CallId call;
    Time at;
  };
  Mutex outcome_mu_;
  std::vector<UnsettledOutcome> unsettled_ GOSLINE_GUARDED_BY(outcome_mu_);

  Mutex events_mu_;  // telephony's events; never held with a wait on mu_
  std::deque<QueuedEvent> events_ GOSLINE_GUARDED_BY(events_mu_);
  CondVar cv_;
  bool stop_ GOSLINE_GUARDED_BY(events_mu_) = false;
  std::thread worker_;  // started by Start under events_mu_, joined by Stop
};

}  // namespace gosline::contact_centre
