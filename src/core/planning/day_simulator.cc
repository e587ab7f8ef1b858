#include "core/planning/day_simulator.h"

#include <algorithm>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include "core/routing/router.h"

namespace gosline::planning {
namespace {

using routing::CallId;
using routing::Decision;
using routing::DecisionKind;
using routing::OperatorState;

enum class EventKind { kShiftStart, kArrival, kAnswer, kEnd, kAbandon, kShiftEnd };

struct Event {
  Time at;
  EventKind kind;
  uint64_t seq;       // ties in insertion order, so a replay is deterministic
  size_t subject;     // call index or shift index
  uint32_t offer = 0; // kAnswer: which offer of the call it answers

  bool operator>(const Event& o) const {
    if (at != o.at) return at > o.at;
    return seq > o.seq;
  }
};

enum class CallPhase { kNotYet, kWaiting, kRinging, kTalking, kDone };

struct CallTrack {
  CallPhase phase = CallPhase::kNotYet;
  uint32_t offers = 0;     // generation: an answer scheduled for an older offer is void
  std::string op;          // ringing or talking with
  Time answered{};
};

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

class Simulation {
 public:
  Simulation(const SimulationInput& in, routing::Router router)
      : in_(in), router_(std::move(router)) {}

  Result<SimulationReport> Run() {
    Time first = Time::max();
    for (size_t i = 0; i < in_.calls.size(); ++i) {
      Push(in_.calls[i].arrival, EventKind::kArrival, i);
      first = std::min(first, in_.calls[i].arrival);
    }
    for (size_t i = 0; i < in_.shifts.size(); ++i) {
      Push(in_.shifts[i].start, EventKind::kShiftStart, i);
      Push(in_.shifts[i].end, EventKind::kShiftEnd, i);
      first = std::min(first, in_.shifts[i].start);
    }
    if (first == Time::max()) return report_;
    origin_ = first;
    calls_.resize(in_.calls.size());

    Time last_tick = first;
    while (!events_.empty()) {
      const Event e = events_.top();
      events_.pop();
      // The router's own timers (wrap-up ends, overflow) between events.
      for (Time t = last_tick + in_.tick; t < e.at; t += in_.tick) {
        router_.OnTick(t);
        GOSLINE_RETURN_IF_ERROR(Apply(router_.Dispatch(t)));
        last_tick = t;
      }
      if (Status st = Handle(e); !st.ok()) {
        static constexpr const char* kNames[] = {"shift start", "arrival", "answer",
                                                  "end", "abandonment", "shift end"};
        // The inputs were checked first: the router refusing an event is a bug here.
        return Status::Internal(std::string(kNames[static_cast<int>(e.kind)]) + " at " +
                                FormatIso8601(e.at) + ": " + st.ToString());
      }
      router_.OnTick(e.at);  // timers due now (a wrap-up of zero)
      GOSLINE_RETURN_IF_ERROR(Apply(router_.Dispatch(e.at)));
      last_tick = std::max(last_tick, e.at);
    }
    for (const CallTrack& c : calls_) {
      if (c.phase == CallPhase::kWaiting || c.phase == CallPhase::kRinging) {
        ++report_.unanswered_at_end;
      }
    }
    for (const IntervalFigures& f : report_.intervals) {
      IntervalFigures& t = report_.total;
      t.offered += f.offered;
      t.answered += f.answered;
      t.abandoned += f.abandoned;
      t.answered_in_service_level += f.answered_in_service_level;
      t.answer_wait_seconds += f.answer_wait_seconds;
      t.staffed_seconds += f.staffed_seconds;
      t.busy_seconds += f.busy_seconds;
    }
    if (!report_.intervals.empty()) report_.total.start = report_.intervals.front().start;
    return report_;
  }

 private:
  void Push(Time at, EventKind kind, size_t subject, uint32_t offer = 0) {
    events_.push(Event{at, kind, seq_++, subject, offer});
  }

  IntervalFigures& IntervalAt(Time t) {
    const auto index = static_cast<size_t>(std::max<int64_t>(0, (t - origin_) / in_.interval));
    while (report_.intervals.size() <= index) {
      IntervalFigures f;
      f.start = origin_ + in_.interval * static_cast<int64_t>(report_.intervals.size());
      report_.intervals.push_back(f);
    }
    return report_.intervals[index];
  }

  // Spreads [from, to) over the intervals it covers.
  void AddSpan(Time from, Time to, double IntervalFigures::*field) {
    while (from < to) {
      IntervalFigures& f = IntervalAt(from);
      const Time end = std::min(to, f.start + in_.interval);
      f.*field += Seconds(end - from);
      from = end;
    }
  }

  Status Handle(const Event& e) {
    switch (e.kind) {
      case EventKind::kShiftStart: {
        const Shift& s = in_.shifts[e.subject];
        shift_started_[s.operator_id] = e.at;
        return router_.OnOperatorState(s.operator_id, OperatorState::kReady, e.at);
      }
      case EventKind::kShiftEnd: {
        const Shift& s = in_.shifts[e.subject];
        auto it = shift_started_.find(s.operator_id);
        if (it != shift_started_.end()) {
          AddSpan(it->second, e.at, &IntervalFigures::staffed_seconds);
          shift_started_.erase(it);
        }
        return router_.OnOperatorState(s.operator_id, OperatorState::kLoggedOut, e.at);
      }
      case EventKind::kArrival: {
        const SimulatedCall& c = in_.calls[e.subject];
        ++IntervalAt(c.arrival).offered;
        if (c.has_open_case) ++report_.open_cases.offered;
        routing::CallArrival arrival;
        arrival.id = static_cast<CallId>(e.subject + 1);
        arrival.topic = c.topic;
        arrival.language = c.language;
        arrival.caller_region = c.region;
        arrival.has_open_case = c.has_open_case;
        GOSLINE_RETURN_IF_ERROR(router_.OnCallEnqueued(std::move(arrival), e.at));
        calls_[e.subject].phase = CallPhase::kWaiting;
        Push(c.arrival + c.patience, EventKind::kAbandon, e.subject);
        return Status::Ok();
      }
      case EventKind::kAnswer: {
        CallTrack& t = calls_[e.subject];
        if (t.phase != CallPhase::kRinging || t.offers != e.offer) return Status::Ok();
        const SimulatedCall& c = in_.calls[e.subject];
        GOSLINE_RETURN_IF_ERROR(router_.OnCallAnswered(e.subject + 1, e.at));
        t.phase = CallPhase::kTalking;
        t.answered = e.at;
        const Duration waited = e.at - c.arrival;
        for (IntervalFigures* f : {&IntervalAt(c.arrival), c.has_open_case ? &report_.open_cases : nullptr}) {
          if (f == nullptr) continue;
          ++f->answered;
          f->answer_wait_seconds += Seconds(waited);
          if (waited <= in_.service_level_threshold) ++f->answered_in_service_level;
        }
        Push(e.at + c.handle, EventKind::kEnd, e.subject);
        return Status::Ok();
      }
      case EventKind::kEnd: {
        CallTrack& t = calls_[e.subject];
        AddSpan(t.answered, e.at, &IntervalFigures::busy_seconds);
        wrap_started_[t.op] = e.at;
        t.phase = CallPhase::kDone;
        return router_.OnCallEnded(e.subject + 1, e.at);
      }
      case EventKind::kAbandon: {
        CallTrack& t = calls_[e.subject];
        if (t.phase != CallPhase::kWaiting && t.phase != CallPhase::kRinging) return Status::Ok();
        t.phase = CallPhase::kDone;
        ++IntervalAt(in_.calls[e.subject].arrival).abandoned;
        if (in_.calls[e.subject].has_open_case) ++report_.open_cases.abandoned;
        return router_.OnCallAbandoned(e.subject + 1, e.at).status();
      }
    }
    return Status::Ok();
  }

  Status Apply(const std::vector<Decision>& decisions) {
    for (const Decision& d : decisions) {
      const size_t index = static_cast<size_t>(d.call) - 1;
      switch (d.kind) {
        case DecisionKind::kOffer: {
          CallTrack& t = calls_[index];
          // An event first runs the router's timers due by its time, so the
          // decisions handed over after an abandonment may still offer the
          // call it removed: stale, as for the telephony adapter.
          if (t.phase == CallPhase::kDone) break;
          t.phase = CallPhase::kRinging;
          t.op = std::string(d.operator_id);
          ++t.offers;
          Push(d.at + in_.answer_delay, EventKind::kAnswer, index, t.offers);
          break;
        }
        case DecisionKind::kOfferFailed:
        case DecisionKind::kOfferWithdrawn: {
          CallTrack& t = calls_[index];
          if (t.phase == CallPhase::kRinging) t.phase = CallPhase::kWaiting;
          break;
        }
        case DecisionKind::kOperatorReady: {
          auto it = wrap_started_.find(std::string(d.operator_id));
          if (it != wrap_started_.end()) {
            AddSpan(it->second, d.at, &IntervalFigures::busy_seconds);
            wrap_started_.erase(it);
          }
          break;
        }
        case DecisionKind::kOverflow:
          break;
      }
    }
    return Status::Ok();
  }

  const SimulationInput& in_;
  routing::Router router_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  uint64_t seq_ = 0;
  std::vector<CallTrack> calls_;
  std::unordered_map<std::string, Time> shift_started_;
  std::unordered_map<std::string, Time> wrap_started_;
  Time origin_{};
  SimulationReport report_;
};

}  // namespace

std::optional<double> IntervalFigures::ServiceLevel() const {
  if (offered == 0) return std::nullopt;
  return static_cast<double>(answered_in_service_level) / static_cast<double>(offered);
}
std::optional<double> IntervalFigures::AbandonRate() const {
  if (offered == 0) return std::nullopt;
  return static_cast<double>(abandoned) / static_cast<double>(offered);
}
std::optional<double> IntervalFigures::AverageAnswerSeconds() const {
  if (answered == 0) return std::nullopt;
  return answer_wait_seconds / static_cast<double>(answered);
}
std::optional<double> IntervalFigures::Occupancy() const {
  if (staffed_seconds <= 0) return std::nullopt;
  return busy_seconds / staffed_seconds;
}

Result<SimulationReport> SimulateDay(const SimulationInput& input) {
  if (input.interval <= Duration::zero()) {
    return Status::InvalidArgument("interval must be positive", "interval");
  }
  if (input.tick <= Duration::zero()) return Status::InvalidArgument("tick must be positive", "tick");
  for (const Shift& s : input.shifts) {
    if (s.end < s.start) {
      return Status::InvalidArgument("shift of " + s.operator_id + " ends before it starts",
                                     "shifts");
    }
  }
  std::set<std::string> topics, operators;
  for (const auto& t : input.topology.topics) topics.insert(t.id);
  for (const auto& o : input.config.operators) operators.insert(o.id);
  for (const Shift& s : input.shifts) {
    if (!operators.count(s.operator_id)) {
      return Status::InvalidArgument("shift of unknown operator " + s.operator_id, "shifts");
    }
  }
  for (const SimulatedCall& c : input.calls) {
    if (!topics.count(c.topic)) {
      return Status::InvalidArgument("call about unknown topic " + c.topic, "calls");
    }
  }
  GOSLINE_ASSIGN_OR_RETURN(routing::Router router,
                           routing::Router::Create(input.topology, input.config));
  Simulation sim(input, std::move(router));
  return sim.Run();
}

std::vector<SimulatedCall> GenerateCalls(Time start, Duration interval,
                                         const std::vector<double>& calls_per_interval,
                                         const CallProfile& profile, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> handle(1 / profile.handle_seconds);
  std::exponential_distribution<double> patience(1 / profile.patience_seconds);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<SimulatedCall> calls;
  const double length = Seconds(interval);
  for (size_t i = 0; i < calls_per_interval.size(); ++i) {
    if (calls_per_interval[i] <= 0) continue;
    // Poisson arrivals: exponential gaps at this interval's rate.
    std::exponential_distribution<double> gap(calls_per_interval[i] / length);
    for (double t = gap(rng); t < length; t += gap(rng)) {
      SimulatedCall c;
      c.arrival = start + interval * static_cast<int64_t>(i) +
                  Duration(static_cast<int64_t>(t * 1000));
      c.topic = profile.topic;
      c.language = profile.language;
      c.region = profile.region;
      c.has_open_case = unit(rng) < profile.open_case_share;
      c.handle = Duration(std::max<int64_t>(1, static_cast<int64_t>(handle(rng) * 1000)));
      c.patience = Duration(static_cast<int64_t>(patience(rng) * 1000));
      calls.push_back(std::move(c));
    }
  }
  return calls;
}

}  // namespace gosline::planning
