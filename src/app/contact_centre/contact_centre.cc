#include "app/contact_centre/contact_centre.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "app/case_visibility.h"
#include "app/contact_centre/call_cases.h"

namespace gosline::contact_centre {
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

struct ContactCentre::LiveCall {
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
  std::string recording_path;  // the last leg's (the call record names one)
  int recordings = 0;          // legs recorded so far (one per operator who answered)
  bool outcome_pending = false;  // telephony's row not there yet: retry
  Time ended_at{};
};

Result<std::unique_ptr<ContactCentre>> ContactCentre::Create(const routing::RoutingTopology& topology,
                                                             const routing::RoutingConfig& config,
                                                             CentreOptions options, CaseService& cases,
                                                             CallOutcomeStore* outcomes,
                                                             const Clock& clock,
                                                             RecordingStore* recordings) {
  GOSLINE_ASSIGN_OR_RETURN(routing::Router router, routing::Router::Create(topology, config));
  GOSLINE_ASSIGN_OR_RETURN(CorrectiveActions corrective, CorrectiveActions::Create(options.corrective));
  return std::unique_ptr<ContactCentre>(new ContactCentre(std::move(router), topology, config,
                                                          std::move(options), cases, outcomes,
                                                          recordings, clock, std::move(corrective)));
}

ContactCentre::ContactCentre(routing::Router router, const routing::RoutingTopology& topology,
                             const routing::RoutingConfig& config, CentreOptions options,
                             CaseService& cases, CallOutcomeStore* outcomes,
                             RecordingStore* recordings, const Clock& clock,
                             CorrectiveActions corrective)
    : tick_(options.tick),
      cases_(cases),
      outcomes_(outcomes),
      recordings_(recordings),
      clock_(clock),
      topology_(topology),
      config_(config),
      options_(std::move(options)),
      router_(std::move(router)),
      stats_(options_.stats),
      corrective_(std::move(corrective)) {}

ContactCentre::~ContactCentre() { Stop(); }

void ContactCentre::SetConnector(CallConnector* connector) {
  MutexLock lock(mu_);
  connector_ = connector;
}

void ContactCentre::Start() {
  MutexLock lock(events_mu_);
  if (worker_.joinable() || stop_) return;
  worker_ = std::thread([this] { Run(); });
}

void ContactCentre::Stop() {
  {
    MutexLock lock(events_mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
  // Hang-ups reported while telephony stopped still get their outcome and
  // case note; telephony is stopping, so nothing more is asked of it.
  {
    MutexLock lock(mu_);
    connector_ = nullptr;
  }
  // A delivery decided before holds the old connector and flush_mu_: once
  // flush_mu_ is free, nothing calls telephony any more.
  { MutexLock delivered(flush_mu_); }
  DrainAndTick();
}

void ContactCentre::Run() {
  MutexLock lock(events_mu_);
  while (!stop_) {
    // Woken by an event or after a tick (a spurious wake-up only ticks early).
    if (events_.empty()) cv_.WaitFor(events_mu_, tick_);
    if (stop_) break;
    lock.Unlock();
    DrainAndTick();
    lock.Lock();
  }
}

void ContactCentre::Step() { DrainAndTick(); }

void ContactCentre::DrainAndTick() {
  MutexLock drain(drain_mu_);
  std::deque<QueuedEvent> events = TakeQueuedEvents();
  MutexLock lock(mu_);
  drain.Unlock();  // under mu_ now: later drains apply after these
  ApplyQueuedEvents(events);
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
  Outgoing out = TakeOutgoing();
  lock.Unlock();
  Deliver(out);
  for (const Subscriber& s : subscribers) s(snapshot);
}

std::deque<ContactCentre::QueuedEvent> ContactCentre::TakeQueuedEvents() {
  std::deque<QueuedEvent> events;
  {
    MutexLock queued(events_mu_);
    events.swap(events_);
  }
  for (QueuedEvent& event : events) {
    if (event.prepare) event.prepare();
  }
  return events;
}

void ContactCentre::ApplyQueuedEvents(std::deque<QueuedEvent>& events) {
  for (QueuedEvent& event : events) event.apply(clock_.Now());
}

// Takes only the queue's lock: telephony never waits for the router.
void ContactCentre::Post(std::function<void(Time)> event) {
  Post(QueuedEvent{nullptr, std::move(event)});
}

void ContactCentre::Post(QueuedEvent event) {
  {
    MutexLock lock(events_mu_);
    events_.push_back(std::move(event));
  }
  cv_.NotifyOne();
}

ContactCentre::Outgoing ContactCentre::TakeOutgoing() {
  Outgoing out;
  out.writes.swap(writes_);
  out.actions.swap(outbox_);
  out.connector = connector_;
  if (out.connector == nullptr) out.actions.clear();
  // Taken before mu_ is let go: deliveries keep the decision order. Nothing
  // to deliver, nothing to order: the caller does not wait for others' writes.
  if (!out.writes.empty() || !out.actions.empty()) out.order = std::unique_lock<Mutex>(flush_mu_);
  return out;
}

void ContactCentre::Deliver(Outgoing& out) {
  for (const Write& w : out.writes) w();
  if (out.connector == nullptr) return;
  for (const Action& a : out.actions) a(*out.connector);
}

// --- Telephony's events (queued) ---------------------------------------------

void ContactCentre::CallEnqueued(WaitingCall call, Time now) {
  // The case is filed before mu_ is taken (a SQLite write); the call is
  // routed with its number right after.
  auto filed = std::make_shared<CallCase>();
  QueuedEvent event;
  if (call.filed) {
    *filed = *call.filed;  // filed where the call came in (a line of several nodes)
  } else {
    CallCaseRequest req{call.caller, call.topic, call.caller_region,
                        call.sip_call_id.empty() ? std::to_string(call.id) : call.sip_call_id, now};
    event.prepare = [this, filed, req] {
      std::string error;
      *filed = FileCallCase(cases_, req, &error);
    };
  }
  event.apply = [this, filed, c = std::move(call), now](Time) mutable {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnEnqueued(std::move(c), *filed, now);
  };
  Post(std::move(event));
}
void ContactCentre::OperatorAnswered(CallId call, Time now) {
  Post([this, call, now](Time) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnAnswered(call, now);
  });
}
void ContactCentre::OperatorRingFailed(CallId call, std::string reason, Time now) {
  Post([this, call, r = std::move(reason), now](Time) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnRingFailed(call, r, now);
  });
}
void ContactCentre::CallerHungUp(CallId call, Time now) {
  Post([this, call, now](Time) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnCallerHungUp(call, now);
  });
}
void ContactCentre::OperatorHungUp(CallId call, Time now) {
  Post([this, call, now](Time) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnOperatorHungUp(call, now);
  });
}
void ContactCentre::CallbackRequested(CallId call, Time now) {
  Post([this, call, now](Time) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnCallback(call, now);
  });
}
void ContactCentre::RecordingSaved(CallId call, SavedRecording recording) {
  Post([this, call, r = std::move(recording)](Time now) {
    mu_.AssertHeld();  // run by ApplyQueuedEvents
    OnRecording(call, r, now);
  });
}

// --- Handling (mu_ held) -----------------------------------------------------

void ContactCentre::OnEnqueued(WaitingCall call, const CallCase& filed, Time now) {
  const CallId id = call.id;
  if (calls_.count(id) != 0) return;  // told twice: the first one stands
  auto c = std::make_unique<LiveCall>();
  // A call taken over from another routing leader has waited since then.
  c->enqueued_at = call.queued_since && *call.queued_since < now ? *call.queued_since : now;
  c->queue = call.queue;
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
  arrival.first_arrived_at = call.queued_since;
  c->call = std::move(call);
  LiveCall& live = *c;
  calls_[id] = std::move(c);
  dirty_ = true;
  if (Status st = router_.OnCallEnqueued(std::move(arrival), now); !st.ok()) {
    // No queue takes this call (an IVR/config mismatch): it cannot wait.
    live.wait = Duration(0);
    outbox_.push_back([id](CallConnector& conn) { conn.Hangup(id, "no_operator"); });
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

void ContactCentre::OnAnswered(CallId id, Time now) {
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

void ContactCentre::OnRingFailed(CallId id, const std::string& reason, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  it->second->ring_failed_reported = true;
  if (!router_.OnOfferFailed(id, now, reason.empty() ? "no_answer" : reason).ok()) {
    it->second->ring_failed_reported = false;
  }
  Dispatch(now);
}

void ContactCentre::OnCallerHungUp(CallId id, Time now) {
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

void ContactCentre::OnOperatorHungUp(CallId id, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  if (router_.CallStateOf(id) != CallState::kConnected) return;
  if (!router_.OnCallEnded(id, now).ok()) return;
  EndConversation(*it->second, now);
  Dispatch(now);
}

void ContactCentre::EndConversation(LiveCall& c, Time now) {
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

void ContactCentre::OnCallback(CallId id, Time now) {
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
  writes_.push_back([this, req, number = c.case_number] {
    Result<std::string> callback = OpenCallbackCase(cases_, req, number);
    if (callback.ok() && !number.empty()) {
      WarnIfFailed(cases_.AddNote(number, "callback requested: case " + *callback, kSystem),
                   "case note");
    }
  });
  Finish(id, "callback", now);
  Dispatch(now);
}

void ContactCentre::OnRecording(CallId id, const SavedRecording& recording, Time now) {
  const std::string& path = recording.path;
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
  // R23/R24: every leg is tracked on its own, so erasure and retention find
  // the first operator's recording of a transferred call too.
  if (recordings_ != nullptr) {
    StoredRecording row;
    row.call_id = c->call.sip_call_id;
    row.case_number = c->case_number;
    row.leg = ++c->recordings;
    row.file_name = path;
    row.created = now - recording.length;
    row.sealed_key_id = recording.sealed_key_id;
    row.size_bytes = recording.size_bytes;
    writes_.push_back([this, row = std::move(row)] {
      WarnIfFailed(recordings_->Add(row).status(), "recording row");
    });
  }
  if (!c->case_number.empty()) {
    writes_.push_back([this, number = c->case_number, link = CaseLink{"recording", path, clock_.Now()}] {
      WarnIfFailed(cases_.Link(number, link, kSystem), "recording link");
    });
  }
  if (!c->outcome.empty()) WriteOutcome(*c, clock_.Now());
}

void ContactCentre::OnTick(Time now) {
  Dispatch(now);
  EvaluateCorrective(now);
  for (auto& [id, c] : calls_) {
    if (!c->answered_at && c->outcome.empty() && now >= c->next_announce) Announce(id, *c, now);
  }
  if (now - last_retry_ >= std::chrono::seconds(1)) {
    last_retry_ = now;
    RetryOutcomes(now);
  }
}

void ContactCentre::Dispatch(Time now) {
  Apply(router_.Dispatch(now));
  CheckWrapUps(now);
}

void ContactCentre::Apply(const std::vector<Decision>& decisions) {
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
        if (!c->case_number.empty()) {
          // The call, and its case, go to this operator: they handle the case
          // from now on and see it, number in full (R20, case_handlers.h).
          // Written before the ring is sent (Deliver runs writes first), so
          // the case the desktop opens on answer already carries it.
          writes_.push_back([this, number = c->case_number, who = OperatorPrincipal(c->operator_id),
                             call = c->call.sip_call_id.empty() ? std::to_string(c->call.id)
                                                                : c->call.sip_call_id] {
            WarnIfFailed(cases_.RecordAssigned(number, Actor{who}, call), "case handler");
          });
        }
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

void ContactCentre::CheckWrapUps(Time now) {
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

void ContactCentre::Announce(CallId id, LiveCall& c, Time now) {
  const bool entering = c.next_announce == Time{};  // the first announcement
  c.next_announce = now + options_.announce_every;
  Result<routing::CallStatus> st = router_.StatusOf(id);
  if (!st.ok() || st->state != CallState::kWaiting) return;
  WaitAnnouncement a{id, st->position, st->estimated_wait, {}};
  if (entering) a.prompts = corrective_.EntryPrompts(std::string(st->queue));
  outbox_.push_back([a](CallConnector& conn) { conn.Announce(a); });
}

// The call is over for the centre: outcome on the record, a line in the case.
void ContactCentre::Finish(CallId id, const std::string& outcome, Time now) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  std::unique_ptr<LiveCall> c = std::move(it->second);
  calls_.erase(it);
  c->outcome = outcome;
  if (c->ended_at == Time{}) c->ended_at = now;
  if (!c->answered_by.empty()) c->operator_id = c->answered_by;
  WriteOutcome(*c, now);
  if (!c->case_number.empty()) {
    writes_.push_back([this, number = c->case_number, note = CaseNote(*c)] {
      WarnIfFailed(cases_.AddNote(number, note, kSystem), "case note");
    });
  }
  finished_.push_back(std::move(c));
  while (finished_.size() > kFinishedKept) finished_.pop_front();
  dirty_ = true;
}

std::string ContactCentre::CaseNote(const LiveCall& c) const {
  std::string s = "call " + (c.call.sip_call_id.empty() ? std::to_string(c.call.id) : c.call.sip_call_id) +
                  ": " + c.outcome + "; queue " + (c.queue.empty() ? "-" : c.queue);
  if (!c.answered_by.empty()) s += "; operator " + c.answered_by;
  if (c.wait) s += "; waited " + std::to_string(Secs(*c.wait)) + " s";
  if (!c.answered_by.empty()) s += "; talked " + std::to_string(Secs(c.talk)) + " s";
  if (c.wrap_up) s += "; wrap-up " + std::to_string(Secs(*c.wrap_up)) + " s";
  return s;
}

void ContactCentre::WriteOutcome(LiveCall& c, Time now) {
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
  c.outcome_pending = false;  // until the write reports otherwise (RetryOutcomes)
  writes_.push_back([this, o = std::move(o), id = c.call.id, now] {
    Result<bool> applied = outcomes_->Apply(o);
    if (applied.ok() && *applied) return;
    MutexLock lock(outcome_mu_);
    unsettled_.push_back(UnsettledOutcome{id, now});
  });
}

void ContactCentre::RetryOutcomes(Time now) {
  if (outcomes_ == nullptr) return;
  std::vector<UnsettledOutcome> unsettled;
  {
    MutexLock lock(outcome_mu_);
    unsettled.swap(unsettled_);
  }
  for (const UnsettledOutcome& u : unsettled) {
    LiveCall* c = nullptr;
    if (auto it = calls_.find(u.call); it != calls_.end()) c = it->second.get();
    for (auto& f : finished_) {
      if (c == nullptr && f->call.id == u.call) c = f.get();
    }
    if (c == nullptr) continue;
    c->outcome_pending = true;
    if (c->ended_at == Time{}) c->ended_at = u.at;
  }
  for (auto& c : finished_) {
    if (!c->outcome_pending) continue;
    if (now - c->ended_at < options_.outcome_row_grace) {
      WriteOutcome(*c, now);
    } else {
      // The last try; then a row of its own.
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
      c->outcome_pending = false;
      writes_.push_back([this, o = std::move(o), info = std::move(info), id = c->call.id, now] {
        Result<bool> applied = outcomes_->Apply(o);
        if (applied.ok() && *applied) return;
        if (outcomes_->InsertPlaceholder(o, info).ok()) return;
        MutexLock lock(outcome_mu_);
        unsettled_.push_back(UnsettledOutcome{id, now});
      });
    }
  }
}

// --- Operators and supervisors -------------------------------------------------

Status ContactCentre::SetOperatorState(const std::string& operator_id, const std::string& state,
                                       const std::string& reason) {
  const std::optional<OperatorState> wanted = ParseRequestedState(state);
  if (!wanted) {
    return Status::InvalidArgument("state must be ready, not_ready, wrap_up or logged_out", "state");
  }
  OperatorStateForward forward;
  {
    MutexLock lock(mu_);
    forward = forward_;
  }
  if (!forward) return ApplyOperatorState(operator_id, state, reason);
  if (!HasOperator(operator_id)) return Status::NotFound("no operator \"" + operator_id + "\"");
  return forward(operator_id, state, reason);
}

void ContactCentre::ForwardOperatorStates(OperatorStateForward forward) {
  MutexLock lock(mu_);
  forward_ = std::move(forward);
}

Status ContactCentre::ApplyOperatorState(const std::string& operator_id, const std::string& state,
                                         const std::string& reason) {
  const std::optional<OperatorState> wanted = ParseRequestedState(state);
  if (!wanted) {
    return Status::InvalidArgument("state must be ready, not_ready, wrap_up or logged_out", "state");
  }
  MutexLock lock(mu_);
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
  Outgoing out = TakeOutgoing();
  lock.Unlock();
  Deliver(out);  // the outcomes and notes this change decided are written before it is acknowledged
  return Status::Ok();
}

bool ContactCentre::HasOperator(const std::string& operator_id) const {
  MutexLock lock(mu_);
  return router_.OperatorStatusOf(operator_id).ok();
}

Result<std::string> ContactCentre::CaseOfCall(CallId call) const {
  MutexLock lock(mu_);
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

OperatorView ContactCentre::ViewOf(const routing::OperatorProfile& p) const {
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

Result<OperatorView> ContactCentre::Operator(const std::string& operator_id) const {
  MutexLock lock(mu_);
  for (const routing::OperatorProfile& p : config_.operators) {
    if (p.id == operator_id) return ViewOf(p);
  }
  return Status::NotFound("no operator \"" + operator_id + "\"");
}

Result<ScreenPop> ContactCentre::ScreenPopOf(const std::string& operator_id) const {
  MutexLock lock(mu_);
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

Status ContactCentre::Transfer(CallId call, const TransferTarget& target) {
  if (target.queue.empty() == target.operator_id.empty()) {
    return Status::InvalidArgument("name either a queue or an operator", "queue");
  }
  MutexLock lock(mu_);
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
    writes_.push_back([this, number = c.case_number,
                       note = "call transferred" + (from_operator.empty() ? "" : " by " + from_operator) +
                              " to " + (target.queue.empty() ? "operator " + target.operator_id
                                                              : "queue " + target.queue)] {
      WarnIfFailed(cases_.AddNote(number, note, kSystem), "case note");
    });
  }
  dirty_ = true;
  Dispatch(now);
  Outgoing out = TakeOutgoing();
  lock.Unlock();
  Deliver(out);
  return Status::Ok();
}

Status ContactCentre::Reconfigure(routing::RoutingTopology topology, routing::RoutingConfig config,
                                  CentreOptions options) {
  MutexLock drain(drain_mu_);
  std::deque<QueuedEvent> events = TakeQueuedEvents();
  MutexLock lock(mu_);
  drain.Unlock();
  const Time now = clock_.Now();
  // What telephony told and the router decided so far belongs to the old
  // configuration (decisions are views into it): settled before it goes.
  ApplyQueuedEvents(events);
  Dispatch(now);
  // The rules first, on a copy: the router is given the overflow routes of
  // the rules still active under the new configuration.
  CorrectiveActions corrective = corrective_;
  Result<std::vector<corrective::Transition>> transitions =
      corrective.Reconfigure(options.corrective, now);
  Status st = transitions.status();
  if (st.ok()) st = router_.Reconfigure(topology, corrective.WithOpenOverflows(config), now);
  if (st.ok()) {
    topology_ = std::move(topology);
    config_ = std::move(config);
    options_.announce_every = options.announce_every;
    options_.contacts = std::move(options.contacts);
    options_.corrective = std::move(options.corrective);
    corrective_ = std::move(corrective);
    dirty_ = true;
    Dispatch(now);  // the offers the new skills allow
    ApplyCorrective(*transitions, now);
  }
  Outgoing out = TakeOutgoing();
  lock.Unlock();
  Deliver(out);
  return st;
}

CentreSnapshot ContactCentre::Snapshot() const {
  MutexLock lock(mu_);
  return BuildSnapshot(clock_.Now());
}

CentreSnapshot ContactCentre::BuildSnapshot(Time now) const {
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
  s.corrective = corrective_.Views();
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

void ContactCentre::OnCorrectiveAction(CorrectiveListener listener) {
  MutexLock lock(mu_);
  corrective_listeners_.push_back(std::move(listener));
}

void ContactCentre::EvaluateCorrective(Time now) {
  if (corrective_.empty() || now - last_corrective_ < options_.corrective_every) return;
  last_corrective_ = now;
  ApplyCorrective(corrective_.Evaluate(BuildSnapshot(now).queues, now), now);
}

void ContactCentre::ApplyCorrective(const std::vector<corrective::Transition>& transitions,
                                    Time now) {
  if (transitions.empty()) return;
  if (ChangesRouting(transitions)) {
    // The decisions so far are views into the router's current plan: used first.
    Apply(router_.Dispatch(now));
    if (Status st = router_.Reconfigure(topology_, corrective_.WithOpenOverflows(config_), now);
        !st.ok()) {
      // Refused (it would strand live work): the line goes on as it was.
      writes_.push_back([st] {
        spdlog::error("corrective actions: the overflow routes could not change: {}", st.ToString());
      });
    }
    Dispatch(now);  // the offers the opened routes allow
  }
  for (const corrective::Transition& t : transitions) {
    writes_.push_back([listeners = corrective_listeners_, t] {
      spdlog::warn("corrective action {} {}: {}", t.rule, t.activate ? "started" : "ended",
                   DescribeReason(t));
      for (const CorrectiveListener& l : listeners) l(t);
    });
  }
  dirty_ = true;
}

void ContactCentre::Subscribe(Subscriber subscriber) {
  MutexLock lock(mu_);
  subscribers_.push_back(std::move(subscriber));
  dirty_ = true;
}

}  // namespace gosline::contact_centre
