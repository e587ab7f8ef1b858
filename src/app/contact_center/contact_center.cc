#include "app/contact_center/contact_center.h"

#include <algorithm>
#include <utility>

#include "app/contact_center/call_cases.h"

namespace gosline::contact_center {
namespace {

using routing::CallState;
using routing::Decision;
using routing::DecisionKind;
using routing::OperatorState;

const Actor kSystem{"contact_centre"};
constexpr size_t kFinishedKept = 1000;  // ended calls a late recording can still find

long long Secs(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

std::optional<OperatorState> ParseRequestedState(const std::string& s) {
  if (s == "ready") return OperatorState::kReady;
  if (s == "not_ready") return OperatorState::kNotReady;
  if (s == "logged_out") return OperatorState::kLoggedOut;
  if (s == "wrap_up") return OperatorState::kWrapUp;  // more after-call work (router.h)
  return std::nullopt;
}

}  // namespace

struct ContactCenter::LiveCall {
  WaitingCall call;
  std::string case_number;
  std::vector<std::string> earlier_cases;
  std::string queue;         // where it waits or was answered from
  std::string operator_id;   // ringing or talking; the last who answered once ended
  std::string answered_by;   // the last operator who answered
  Time enqueued_at{};
  std::optional<Time> answered_at;  // the current conversation
  std::optional<Duration> wait;     // until first answered (or until abandoned)
  Duration talk{0};
  std::optional<Duration> wrap_up;
  Time wrap_up_started{};
  Time next_announce{};
  bool ring_failed_reported = false;  // telephony already stopped ringing
  std::string outcome;
  std::string recording_path;
  bool outcome_pending = false;  // telephony's row not there yet: retry
  Time ended_at{};
};

Result<std::unique_ptr<ContactCenter>> ContactCenter::Create(const routing::RoutingTopology& topology,
                                                             const routing::RoutingConfig& config,
                                                             CentreOptions options, CaseService& cases,
                                                             CallOutcomeStore* outcomes,
                                                             const Clock& clock) {
  Result<routing::Router> router = routing::Router::Create(topology, config);
  if (!router.ok()) return router.status();
  return std::unique_ptr<ContactCenter>(new ContactCenter(std::move(router).value(), topology, config,
                                                          std::move(options), cases, outcomes, clock));
}

ContactCenter::ContactCenter(routing::Router router, const routing::RoutingTopology& topology,
                             const routing::RoutingConfig& config, CentreOptions options,
                             CaseService& cases, CallOutcomeStore* outcomes, const Clock& clock)
    : topology_(topology),
      config_(config),
      options_(std::move(options)),
      cases_(cases),
      outcomes_(outcomes),
      clock_(clock),
      router_(std::move(router)),
      stats_(options_.stats) {}

ContactCenter::~ContactCenter() { Stop(); }

void ContactCenter::SetConnector(CallConnector* connector) {
  std::lock_guard lock(mu_);
  connector_ = connector;
}

void ContactCenter::Start() {
  std::lock_guard lock(events_mu_);
  if (worker_.joinable() || stop_) return;
  worker_ = std::thread([this] { Run(); });
}

void ContactCenter::Stop() {
  {
    std::lock_guard lock(events_mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
  // Hang-ups reported while telephony stopped still get their outcome and
  // case note; telephony is stopping, so nothing more is asked of it.
  {
    std::lock_guard lock(mu_);
    connector_ = nullptr;
  }
  DrainAndTick();
}

void ContactCenter::Run() {
  std::unique_lock lock(events_mu_);
  while (!stop_) {
    cv_.wait_for(lock, options_.tick, [&] { return stop_ || !events_.empty(); });
    if (stop_) break;
    lock.unlock();
    DrainAndTick();
    lock.lock();
  }
}

void ContactCenter::Step() { DrainAndTick(); }

void ContactCenter::DrainAndTick() {
  std::unique_lock lock(mu_);
  RunQueuedEvents();
  OnTick(clock_.Now());
  std::vector<Subscriber> subscribers;
  CentreSnapshot snapshot;
  const Time now = clock_.Now();
  if (dirty_ && !subscribers_.empty() && now - last_publish_ >= options_.publish_every) {
    snapshot = BuildSnapshot(now);
    subscribers = subscribers_;
    dirty_ = false;
    last_publish_ = now;
  }
  Flush(lock);  // unlocks
  for (const Subscriber& s : subscribers) s(snapshot);
}

void ContactCenter::RunQueuedEvents() {
  std::deque<std::function<void(Time)>> events;
  {
    std::lock_guard queued(events_mu_);
    events.swap(events_);
  }
  for (auto& event : events) event(clock_.Now());
}

// Takes only the queue's lock: telephony never waits for the router.
void ContactCenter::Post(std::function<void(Time)> event) {
  {
    std::lock_guard lock(events_mu_);
    events_.push_back(std::move(event));
  }
  cv_.notify_one();
}

void ContactCenter::Flush(std::unique_lock<std::mutex>& lock) {
  std::vector<Action> actions;
  actions.swap(outbox_);
  CallConnector* connector = connector_;
  std::lock_guard order(flush_mu_);  // taken before mu_ is let go: decision order kept
  lock.unlock();
  if (connector == nullptr) return;
  for (const Action& a : actions) a(*connector);
}

// --- Telephony's events (queued) ---------------------------------------------

void ContactCenter::CallEnqueued(WaitingCall call, Time now) {
  Post([this, c = std::move(call), now](Time) mutable { OnEnqueued(std::move(c), now); });
}
void ContactCenter::OperatorAnswered(CallId call, Time now) {
  Post([this, call, now](Time) { OnAnswered(call, now); });
}
void ContactCenter::OperatorRingFailed(CallId call, std::string reason, Time now) {
  Post([this, call, r = std::move(reason), now](Time) { OnRingFailed(call, r, now); });
}
void ContactCenter::CallerHungUp(CallId call, Time now) {
  Post([this, call, now](Time) { OnCallerHungUp(call, now); });
}
void ContactCenter::OperatorHungUp(CallId call, Time now) {
  Post([this, call, now](Time) { OnOperatorHungUp(call, now); });
}
void ContactCenter::CallbackRequested(CallId call, Time now) {
  Post([this, call, now](Time) { OnCallback(call, now); });
}
void ContactCenter::RecordingSaved(CallId call, std::string path, Duration) {
  Post([this, call, p = std::move(path)](Time) { OnRecording(call, p); });
}

// --- Handling (mu_ held) -----------------------------------------------------

void ContactCenter::OnEnqueued(WaitingCall call, Time now) {
  const CallId id = call.id;
  if (calls_.count(id) != 0) return;  // told twice: the first one stands
  auto c = std::make_unique<LiveCall>();
  c->enqueued_at = now;
  c->queue = call.queue;
  CallCaseRequest req{call.caller, call.topic, call.caller_region,
                      call.sip_call_id.empty() ? std::to_string(id) : call.sip_call_id, now};
  std::string error;
  CallCase filed = FileCallCase(cases_, req, &error);
  c->case_number = filed.number;
  c->earlier_cases = filed.earlier_cases;
  routing::CallArrival arrival;
  arrival.id = id;
  arrival.topic = call.topic;
  arrival.language = call.language;
  arrival.caller_region = call.caller_region;
  arrival.has_open_case = filed.reused || filed.has_open_case;
  arrival.queue = call.queue;
  arrival.case_number = filed.number;
  arrival.collected = call.collected;
  c->call = std::move(call);
  LiveCall& live = *c;
  calls_[id] = std::move(c);
  dirty_ = true;
  if (Status st = router_.OnCallEnqueued(std::move(arrival), now); !st.ok()) {
    // No queue takes this call (an IVR/config mismatch): it cannot wait.
    live.wait = Duration(0);
    outbox_.push_back([id](CallConnector& conn) { conn.HangUp(id, "no_operator"); });
    Finish(id, "no_operator", now);
    return;
  }
  if (Result<routing::CallStatus> st = router_.StatusOf(id); st.ok()) {
    live.queue = std::string(st->queue);
    stats_.CallQueued(live.queue, now);
  }
  Dispatch(now);
  auto it = calls_.find(id);
  if (it != calls_.end()) Announce(id, *it->second, now);
}

void ContactCenter::OnAnswered(CallId id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  LiveCall& c = *it->second;
  if (!router_.OnCallAnswered(id, now).ok()) return;  // the offer was already taken back
  c.answered_at = now;
  c.answered_by = c.operator_id;
  if (!c.wait) {
    c.wait = now - c.enqueued_at;
    stats_.CallAnswered(c.queue, *c.wait, now);
  }
  Dispatch(now);
}

void ContactCenter::OnRingFailed(CallId id, const std::string& reason, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  it->second->ring_failed_reported = true;
  if (!router_.OnOfferFailed(id, now, reason.empty() ? "no_answer" : reason).ok()) {
    it->second->ring_failed_reported = false;
  }
  Dispatch(now);
}

void ContactCenter::OnCallerHungUp(CallId id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  LiveCall& c = *it->second;
  const std::optional<CallState> state = router_.CallStateOf(id);
  if (!state) return;  // already over (in wrap-up)
  if (*state == CallState::kConnected) {
    OnOperatorHungUp(id, now);
    return;
  }
  Result<routing::AbandonReport> r = router_.OnCallAbandoned(id, now);
  if (r.ok()) {
    if (r->was_ringing) outbox_.push_back([id](CallConnector& conn) { conn.CancelRing(id); });
    if (!c.wait) {
      c.wait = r->total_waited;
      stats_.CallAbandoned(c.queue, *c.wait, now);
    }
  }
  Finish(id, "abandoned", now);
  Dispatch(now);
}

void ContactCenter::OnOperatorHungUp(CallId id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  if (router_.CallStateOf(id) != CallState::kConnected) return;
  if (!router_.OnCallEnded(id, now).ok()) return;
  EndConversation(*it->second, now);
  Dispatch(now);
}

void ContactCenter::EndConversation(LiveCall& c, Time now) {
  if (c.answered_at) c.talk += now - *c.answered_at;
  c.answered_at.reset();
  stats_.CallEnded(c.queue, c.talk, now);
  c.outcome = "answered";
  c.ended_at = now;
  const std::string op = c.operator_id;
  Result<routing::OperatorStatus> st = router_.OperatorStatusOf(op);
  c.wrap_up_started = st.ok() ? st->since : now;
  wrap_ups_[op] = c.call.id;
  dirty_ = true;
  WriteOutcome(c, now);  // talk time now; wrap-up time when it ends
}

void ContactCenter::OnCallback(CallId id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  LiveCall& c = *it->second;
  const std::optional<CallState> state = router_.CallStateOf(id);
  if (!state || *state == CallState::kConnected) return;  // only a waiting caller may ask
  Result<routing::AbandonReport> r = router_.OnCallAbandoned(id, now);
  if (r.ok()) {
    if (r->was_ringing) outbox_.push_back([id](CallConnector& conn) { conn.CancelRing(id); });
    if (!c.wait) c.wait = r->total_waited;
  }
  CallCaseRequest req{c.call.caller, c.call.topic, c.call.caller_region, c.call.sip_call_id, now};
  Result<std::string> callback = OpenCallbackCase(cases_, req, c.case_number);
  if (callback.ok() && !c.case_number.empty()) {
    (void)cases_.AddNote(c.case_number, "callback requested: case " + *callback, kSystem);
  }
  Finish(id, "callback", now);
  Dispatch(now);
}

void ContactCenter::OnRecording(CallId id, const std::string& path) {
  LiveCall* c = nullptr;
  if (auto it = calls_.find(id); it != calls_.end()) {
    c = it->second.get();
  } else {
    for (auto& f : finished_) {
      if (f->call.id == id) c = f.get();
    }
  }
  if (c == nullptr) return;
  c->recording_path = path;
  if (!c->case_number.empty()) {
    (void)cases_.Link(c->case_number, CaseLink{"recording", path, clock_.Now()}, kSystem);
  }
  if (!c->outcome.empty()) WriteOutcome(*c, clock_.Now());
}

void ContactCenter::OnTick(Time now) {
  Dispatch(now);
  for (auto& [id, c] : calls_) {
    if (!c->answered_at && c->outcome.empty() && now >= c->next_announce) Announce(id, *c, now);
  }
  if (now - last_retry_ >= std::chrono::seconds(1)) {
    last_retry_ = now;
    RetryOutcomes(now);
  }
}

void ContactCenter::Dispatch(Time now) {
  Apply(router_.Dispatch(now));
  CheckWrapUps(now);
}

void ContactCenter::Apply(const std::vector<Decision>& decisions) {
  for (const Decision& d : decisions) {
    dirty_ = true;
    auto it = calls_.find(d.call);
    LiveCall* c = it == calls_.end() ? nullptr : it->second.get();
    const CallId id = d.call;
    switch (d.kind) {
      case DecisionKind::kOffer: {
        if (c == nullptr) break;
        c->operator_id = std::string(d.operator_id);
        c->queue = std::string(d.queue);
        OperatorRing ring;
        ring.call = id;
        ring.operator_id = c->operator_id;
        if (auto contact = options_.contacts.find(ring.operator_id); contact != options_.contacts.end()) {
          ring.static_contact = contact->second;
        }
        ring.case_number = c->case_number;
        ring.topic = c->call.topic;
        ring.caller_region = c->call.caller_region;
        outbox_.push_back([ring](CallConnector& conn) { conn.RingOperator(ring); });
        break;
      }
      case DecisionKind::kOfferFailed:
      case DecisionKind::kOfferWithdrawn:
        if (c != nullptr) {
          c->operator_id.clear();
          if (c->ring_failed_reported) {  // telephony ended the ringing itself
            c->ring_failed_reported = false;
            break;
          }
        }
        outbox_.push_back([id](CallConnector& conn) { conn.CancelRing(id); });
        break;
      case DecisionKind::kOverflow:
      case DecisionKind::kOperatorReady:
        break;  // wrap-up ends are read from the operator's state (CheckWrapUps)
    }
  }
}

void ContactCenter::CheckWrapUps(Time now) {
  for (auto it = wrap_ups_.begin(); it != wrap_ups_.end();) {
    Result<routing::OperatorStatus> st = router_.OperatorStatusOf(it->first);
    auto call = calls_.find(it->second);
    if (call == calls_.end()) {
      it = wrap_ups_.erase(it);
      continue;
    }
    LiveCall& c = *call->second;
    if (st.ok() && st->state == OperatorState::kWrapUp && st->since == c.wrap_up_started) {
      ++it;
      continue;
    }
    const Time ended = st.ok() ? std::max(st->since, c.wrap_up_started) : now;
    c.wrap_up = ended - c.wrap_up_started;
    const CallId id = it->second;
    it = wrap_ups_.erase(it);
    Finish(id, "answered", ended);
  }
}

void ContactCenter::Announce(CallId id, LiveCall& c, Time now) {
  c.next_announce = now + options_.announce_every;
  Result<routing::CallStatus> st = router_.StatusOf(id);
  if (!st.ok() || st->state != CallState::kWaiting) return;
  WaitAnnouncement a{id, st->position, st->estimated_wait};
  outbox_.push_back([a](CallConnector& conn) { conn.Announce(a); });
}

// The call is over for the centre: outcome on the record, a line in the case.
void ContactCenter::Finish(CallId id, const std::string& outcome, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  std::unique_ptr<LiveCall> c = std::move(it->second);
  calls_.erase(it);
  c->outcome = outcome;
  if (c->ended_at == Time{}) c->ended_at = now;
  if (!c->answered_by.empty()) c->operator_id = c->answered_by;
  WriteOutcome(*c, now);
  if (!c->case_number.empty()) (void)cases_.AddNote(c->case_number, CaseNote(*c), kSystem);
  finished_.push_back(std::move(c));
  while (finished_.size() > kFinishedKept) finished_.pop_front();
  dirty_ = true;
}

std::string ContactCenter::CaseNote(const LiveCall& c) const {
  std::string s = "call " + (c.call.sip_call_id.empty() ? std::to_string(c.call.id) : c.call.sip_call_id) +
                  ": " + c.outcome + "; queue " + (c.queue.empty() ? "-" : c.queue);
  if (!c.answered_by.empty()) s += "; operator " + c.answered_by;
  if (c.wait) s += "; waited " + std::to_string(Secs(*c.wait)) + " s";
  if (!c.answered_by.empty()) s += "; talked " + std::to_string(Secs(c.talk)) + " s";
  if (c.wrap_up) s += "; wrap-up " + std::to_string(Secs(*c.wrap_up)) + " s";
  return s;
}

void ContactCenter::WriteOutcome(LiveCall& c, Time now) {
  if (outcomes_ == nullptr || c.call.sip_call_id.empty()) return;
  CallOutcome o;
  o.call_id = c.call.sip_call_id;
  o.linked_case = c.case_number;
  o.queue = c.queue;
  o.operator_id = c.answered_by;
  o.wait = c.wait;
  if (!c.answered_by.empty()) o.talk = c.talk;
  o.wrap_up = c.wrap_up;
  o.outcome = c.outcome;
  o.recording_path = c.recording_path;
  Result<bool> applied = outcomes_->Apply(o);
  c.outcome_pending = !applied.ok() || !*applied;
  if (c.outcome_pending && c.ended_at == Time{}) c.ended_at = now;
}

void ContactCenter::RetryOutcomes(Time now) {
  if (outcomes_ == nullptr) return;
  for (auto& c : finished_) {
    if (!c->outcome_pending) continue;
    WriteOutcome(*c, now);
    if (c->outcome_pending && now - c->ended_at >= options_.outcome_row_grace) {
      CallOutcome o;
      o.call_id = c->call.sip_call_id;
      o.linked_case = c->case_number;
      o.queue = c->queue;
      o.operator_id = c->answered_by;
      o.wait = c->wait;
      if (!c->answered_by.empty()) o.talk = c->talk;
      o.wrap_up = c->wrap_up;
      o.outcome = c->outcome;
      o.recording_path = c->recording_path;
      CallOutcomeCallInfo info{c->call.caller,   c->call.dialled, c->call.caller_region,
                               c->call.language, c->call.topic,   c->call.ivr_path,
                               c->call.started_at, c->ended_at};
      if (outcomes_->InsertPlaceholder(o, info).ok()) c->outcome_pending = false;
    }
  }
}

// --- Operators and supervisors -------------------------------------------------

Status ContactCenter::SetOperatorState(const std::string& operator_id, const std::string& state,
                                       const std::string& reason) {
  const std::optional<OperatorState> wanted = ParseRequestedState(state);
  if (!wanted) {
    return Status::InvalidArgument("state must be ready, not_ready, wrap_up or logged_out", "state");
  }
  std::unique_lock lock(mu_);
  const Time now = clock_.Now();
  Result<routing::OperatorStatus> current = router_.OperatorStatusOf(operator_id);
  if (!current.ok()) return Status::NotFound("no operator \"" + operator_id + "\"");
  if (*wanted == OperatorState::kLoggedOut &&
      (current->state == OperatorState::kOnCall || current->state == OperatorState::kRinging)) {
    return Status::Conflict("operator \"" + operator_id + "\" is " +
                            routing::OperatorStateName(current->state) +
                            "; finish or transfer the call before logging out");
  }
  GOSLINE_RETURN_IF_ERROR(router_.OnOperatorState(
      operator_id, *wanted, now, *wanted == OperatorState::kNotReady && reason.empty() ? "break" : reason));
  dirty_ = true;
  Dispatch(now);
  Flush(lock);
  return Status::Ok();
}

bool ContactCenter::HasOperator(const std::string& operator_id) const {
  std::lock_guard lock(mu_);
  return router_.OperatorStatusOf(operator_id).ok();
}

Result<std::string> ContactCenter::CaseOfCall(CallId call) const {
  std::lock_guard lock(mu_);
  const LiveCall* c = nullptr;
  if (auto it = calls_.find(call); it != calls_.end()) {
    c = it->second.get();
  } else {
    for (const auto& f : finished_) {
      if (f->call.id == call) c = f.get();
    }
  }
  if (c == nullptr || c->case_number.empty()) {
    return Status::NotFound("no case for call " + std::to_string(call));
  }
  return c->case_number;
}

OperatorView ContactCenter::ViewOf(const routing::OperatorProfile& p) const {
  OperatorView v;
  v.id = p.id;
  v.name = p.name;
  v.centre = p.centre;
  v.skills = p.skills;
  v.languages = p.languages;
  Result<routing::OperatorStatus> st = router_.OperatorStatusOf(p.id);
  if (st.ok()) {
    v.state = routing::OperatorStateName(st->state);
    v.reason = std::string(st->reason);
    v.since = st->since;
    v.call = st->call;
  }
  return v;
}

Result<OperatorView> ContactCenter::Operator(const std::string& operator_id) const {
  std::lock_guard lock(mu_);
  for (const routing::OperatorProfile& p : config_.operators) {
    if (p.id == operator_id) return ViewOf(p);
  }
  return Status::NotFound("no operator \"" + operator_id + "\"");
}

Result<ScreenPop> ContactCenter::ScreenPopOf(const std::string& operator_id) const {
  std::lock_guard lock(mu_);
  Result<routing::OperatorStatus> st = router_.OperatorStatusOf(operator_id);
  if (!st.ok()) return Status::NotFound("no operator \"" + operator_id + "\"");
  if (!st->call) return Status::NotFound("operator \"" + operator_id + "\" has no call now");
  auto it = calls_.find(*st->call);
  if (it == calls_.end()) return Status::NotFound("operator \"" + operator_id + "\" has no call now");
  const LiveCall& c = *it->second;
  ScreenPop pop;
  pop.call = c.call.id;
  pop.caller = c.call.caller;
  pop.region = c.call.caller_region;
  pop.language = c.call.language;
  pop.ivr_path = c.call.ivr_path;
  pop.topic = c.call.topic;
  pop.queue = c.queue;
  pop.case_number = c.case_number;
  pop.earlier_cases = c.earlier_cases;
  pop.collected = c.call.collected;
  pop.state = routing::OperatorStateName(st->state);
  return pop;
}

Status ContactCenter::Transfer(CallId call, const TransferTarget& target) {
  if (target.queue.empty() == target.operator_id.empty()) {
    return Status::InvalidArgument("name either a queue or an operator", "queue");
  }
  std::unique_lock lock(mu_);
  const Time now = clock_.Now();
  auto it = calls_.find(call);
  const std::optional<CallState> state = router_.CallStateOf(call);
  if (it == calls_.end() || !state) return Status::NotFound("no call " + std::to_string(call) + " in the centre");
  LiveCall& c = *it->second;
  const bool connected = *state == CallState::kConnected;
  const std::string from_operator = c.operator_id;
  Status st = target.queue.empty() ? router_.TransferToOperator(call, target.operator_id, now)
                                   : router_.TransferToQueue(call, target.queue, now);
  if (!st.ok()) {
    if (st.code() == Status::Code::kNotFound || st.code() == Status::Code::kInvalidArgument) return st;
    return Status::Conflict(st.message());
  }
  if (connected) {
    if (c.answered_at) c.talk += now - *c.answered_at;
    c.answered_at.reset();
    outbox_.push_back([call](CallConnector& conn) { conn.ReleaseOperator(call); });
  } else if (*state == CallState::kRinging) {
    outbox_.push_back([call](CallConnector& conn) { conn.CancelRing(call); });
  }
  c.operator_id.clear();
  if (!target.queue.empty()) c.queue = target.queue;
  if (!c.case_number.empty()) {
    (void)cases_.AddNote(c.case_number,
                         "call transferred" + (from_operator.empty() ? "" : " by " + from_operator) +
                             " to " + (target.queue.empty() ? "operator " + target.operator_id
                                                             : "queue " + target.queue),
                         kSystem);
  }
  dirty_ = true;
  Dispatch(now);
  Flush(lock);
  return Status::Ok();
}

Status ContactCenter::Reconfigure(routing::RoutingTopology topology, routing::RoutingConfig config,
                                  CentreOptions options) {
  std::unique_lock lock(mu_);
  const Time now = clock_.Now();
  // What telephony told and the router decided so far belongs to the old
  // configuration (decisions are views into it): settled before it goes.
  RunQueuedEvents();
  Dispatch(now);
  Status st = router_.Reconfigure(topology, config, now);
  if (st.ok()) {
    topology_ = std::move(topology);
    config_ = std::move(config);
    options_.announce_every = options.announce_every;
    options_.contacts = std::move(options.contacts);
    dirty_ = true;
    Dispatch(now);  // the offers the new skills allow
  }
  Flush(lock);
  return st;
}

CentreSnapshot ContactCenter::Snapshot() const {
  std::lock_guard lock(mu_);
  return BuildSnapshot(clock_.Now());
}

CentreSnapshot ContactCenter::BuildSnapshot(Time now) const {
  CentreSnapshot s;
  s.at = now;
  for (const routing::OperatorProfile& p : config_.operators) s.operators.push_back(ViewOf(p));
  const std::string language = topology_.languages.empty() ? "ru" : topology_.languages.front();
  for (const routing::TopologyQueue& q : topology_.queues) {
    QueueView v;
    v.id = q.id;
    v.topic = q.topic;
    v.centre = q.centre;
    if (Result<routing::Estimate> e = router_.EstimatedWait(q.id, language); e.ok()) {
      v.estimated_wait = e->wait;
    }
    v.figures = stats_.Figures(q.id, now);
    for (size_t i = 0; i < config_.operators.size(); ++i) {
      const routing::OperatorProfile& p = config_.operators[i];
      if (p.centre != q.centre || p.skills.count(q.topic) == 0) continue;
      const std::string& state = s.operators[i].state;
      if (state == "logged_out" || state.empty()) continue;
      ++v.logged_in;
      if (state == "ready") ++v.ready;
      if (state == "ringing" || state == "on_call") ++v.on_call;
      if (state == "wrap_up") ++v.wrap_up;
      if (state == "not_ready") ++v.not_ready;
    }
    s.queues.push_back(std::move(v));
  }
  for (const auto& [id, c] : calls_) {
    Result<routing::CallStatus> st = router_.StatusOf(id);
    if (!st.ok() || st->state != CallState::kWaiting) continue;
    for (QueueView& v : s.queues) {
      if (v.id != st->queue) continue;
      ++v.waiting;
      v.longest_wait = std::max(v.longest_wait, st->waited);
    }
  }
  return s;
}

void ContactCenter::Subscribe(Subscriber subscriber) {
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(subscriber));
  dirty_ = true;
}

}  // namespace gosline::contact_center
