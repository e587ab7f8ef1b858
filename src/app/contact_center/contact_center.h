// The contact centre (issue 4; R8-R14, R29, R30): implements CallCenterPort
// for telephony, owns the routing core and the operators' states, files a
// case per call and writes what happened onto the call record.
//
// Threading: every event (from telephony, from the HTTP API, the ticks) runs
// under one lock, so the Router sees one event at a time. Telephony's events
// only queue (they never wait on the router or the disk); a worker thread
// drains the queue and ticks every `tick` with the clock's time. Calls into
// the CallConnector are made outside the lock, in the order decided.
// Tests skip Start() and call Step() on a ManualClock: deterministic.
//
// Case work (SQLite) runs on the worker: a call entering a queue waits for
// its case lookup (milliseconds) before it is routed, so the operator's
// phone always gets the case number.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/case_service.h"
#include "app/clock.h"
#include "app/contact_center/call_center_port.h"
#include "app/contact_center/center_snapshot.h"
#include "core/routing/router.h"
#include "core/stats/queue_statistics.h"
#include "storage/call_outcome_store.h"

namespace gosline::contact_center {

struct CentreOptions {
  Duration announce_every{std::chrono::seconds(45)};
  Duration tick{std::chrono::milliseconds(200)};
  Duration publish_every{std::chrono::seconds(1)};  // subscribers get at most this often
  // A call outcome whose telephony row has not appeared by then gets a row of its own.
  Duration outcome_row_grace{std::chrono::minutes(2)};
  std::map<std::string, std::string> contacts;  // operator id -> static SIP URI
  stats::StatsConfig stats;                      // service level 30 s over 15 min and today
};

struct TransferTarget {
  std::string queue;        // one of the two
  std::string operator_id;
};

class ContactCenter final : public CallCenterPort {
 public:
  // `outcomes` may be null (no call records).
  static Result<std::unique_ptr<ContactCenter>> Create(const routing::RoutingTopology& topology,
                                                       const routing::RoutingConfig& config,
                                                       CentreOptions options, CaseService& cases,
                                                       CallOutcomeStore* outcomes,
                                                       const Clock& clock);
  ~ContactCenter() override;

  // Telephony's side; may be set once before or after Start.
  void SetConnector(CallConnector* connector);
  void Start();  // the worker thread
  void Stop();   // idempotent; handles the events already queued, without the connector
  // Runs every queued event and one tick at clock.Now() on the calling thread.
  void Step();

  // --- CallCenterPort (any thread; queued) ---------------------------------
  void CallEnqueued(WaitingCall call, Time now) override;
  void OperatorAnswered(CallId call, Time now) override;
  void OperatorRingFailed(CallId call, std::string reason, Time now) override;
  void CallerHungUp(CallId call, Time now) override;
  void OperatorHungUp(CallId call, Time now) override;
  void CallbackRequested(CallId call, Time now) override;
  void RecordingSaved(CallId call, std::string path, Duration length) override;

  // --- Operators and supervisors (any thread; applied at once) ---------------
  // state: "ready", "not_ready", "logged_out". NotFound for an unknown
  // operator, InvalidArgument for an unknown state, Conflict for logging out
  // during a call (finish or transfer it first).
  Status SetOperatorState(const std::string& operator_id, const std::string& state,
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
  // Queues, operators' skills and overflow edited while calls go on (issue 6):
  // see Router::Reconfigure for what operators and calls keep. Telephony's
  // events already queued are handled first, under the old configuration.
  // Of `options`, announce_every and contacts apply (the others are fixed at
  // start). InvalidArgument for a bad configuration, FailedPrecondition when
  // it would strand live work; either way nothing changes.
  Status Reconfigure(routing::RoutingTopology topology, routing::RoutingConfig config,
                     CentreOptions options);

  // Called with the snapshot after changes, at most every publish_every, on
  // the thread that ran the change, outside the centre's lock.
  using Subscriber = std::function<void(const CentreSnapshot& snapshot)>;
  void Subscribe(Subscriber subscriber);

 private:
  struct LiveCall;
  ContactCenter(routing::Router router, const routing::RoutingTopology& topology,
                const routing::RoutingConfig& config, CentreOptions options, CaseService& cases,
                CallOutcomeStore* outcomes, const Clock& clock);

  using Action = std::function<void(CallConnector&)>;
  void Post(std::function<void(Time)> event);
  void Run();
  void DrainAndTick();
  void RunQueuedEvents();  // mu_ held
  // Must hold mu_; hands the connector actions to the caller to run unlocked.
  void Flush(std::unique_lock<std::mutex>& lock);
  void Apply(const std::vector<routing::Decision>& decisions);
  void Dispatch(Time now);

  void OnEnqueued(WaitingCall call, Time now);
  void OnAnswered(CallId id, Time now);
  void OnRingFailed(CallId id, const std::string& reason, Time now);
  void OnCallerHungUp(CallId id, Time now);
  void OnOperatorHungUp(CallId id, Time now);
  void OnCallback(CallId id, Time now);
  void OnRecording(CallId id, const std::string& path);
  void OnTick(Time now);
  void EndConversation(LiveCall& c, Time now);
  void Finish(CallId id, const std::string& outcome, Time now);
  void Announce(CallId id, LiveCall& c, Time now);
  void CheckWrapUps(Time now);
  void WriteOutcome(LiveCall& c, Time now);
  void RetryOutcomes(Time now);
  CentreSnapshot BuildSnapshot(Time now) const;
  OperatorView ViewOf(const routing::OperatorProfile& p) const;
  void Publish(Time now, std::unique_lock<std::mutex>& lock);
  std::string CaseNote(const LiveCall& c) const;

  // Under mu_ (Reconfigure replaces them), but for options_.tick, which is fixed.
  routing::RoutingTopology topology_;
  routing::RoutingConfig config_;
  CentreOptions options_;
  CaseService& cases_;
  CallOutcomeStore* const outcomes_;
  const Clock& clock_;

  mutable std::mutex mu_;
  routing::Router router_;
  stats::QueueStatistics stats_;  // R13, R18: per queue service level, abandoned
  std::map<CallId, std::unique_ptr<LiveCall>> calls_;
  // Calls whose operator is in wrap-up: operator id -> call.
  std::map<std::string, CallId> wrap_ups_;
  std::deque<std::unique_ptr<LiveCall>> finished_;  // ended calls kept for a late recording
  std::vector<Action> outbox_;
  CallConnector* connector_ = nullptr;
  std::vector<Subscriber> subscribers_;
  bool dirty_ = true;
  Time last_publish_{};
  Time last_retry_{};

  std::mutex flush_mu_;  // keeps connector calls in decision order across threads

  std::mutex events_mu_;  // telephony's events; never held with a wait on mu_
  std::deque<std::function<void(Time)>> events_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace gosline::contact_center
