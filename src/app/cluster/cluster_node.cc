#include "app/cluster/cluster_node.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "app/cluster/cluster_wire.h"

namespace gosline::cluster {

ClusterNode::ClusterNode(ClusterNodeOptions options, ClusterStore& store, LeaderLease& lease,
                         contact_centre::ContactCentre& centre, ClusterDecisionWriter& writer,
                         const Clock& clock)
    : options_(std::move(options)),
      store_(store),
      lease_(lease),
      centre_(centre),
      writer_(writer),
      clock_(clock) {}

ClusterNode::~ClusterNode() { Stop(); }

void ClusterNode::SetTelephony(contact_centre::CallConnector* telephony) {
  MutexLock lock(mu_);
  telephony_ = telephony;
}

void ClusterNode::Start() {
  MutexLock lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void ClusterNode::Stop() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ClusterNode::Resign() { resign_.store(true); }

void ClusterNode::Run() {
  bool may_lead = true;
  for (;;) {
    {
      MutexLock lock(mu_);
      if (stop_) break;
    }
    Round(may_lead);
  }
  if (leading_.load()) StepDown("the node stops");
}

void ClusterNode::Round(bool& may_lead) {
  const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();

  if (resign_.load() && leading_.load()) {
    StepDown("the node drains");
    may_lead = false;
  }
  if (now >= next_beat_) {
    next_beat_ = now + options_.heartbeat;
    if (Status st = store_.Heartbeat(options_.node_id); !st.ok()) {
      spdlog::warn("cluster: heartbeat of {} not written: {}", options_.node_id, st.ToString());
    }
    if (leading_.load()) {
      if (Status st = lease_.Check(term_); !st.ok()) {
        StepDown(st.message());
        may_lead = false;
      }
    }
    if (leading_.load()) {
      Result<std::vector<int64_t>> gone =
          store_.RemoveCallsOfDeadNodes(term_, options_.node_timeout);
      if (gone.ok()) {
        for (int64_t call : *gone) {
          spdlog::warn("cluster: call {} removed: its node's heartbeat stopped", call);
          CallEnded(call);
          centre_.CallerHungUp(static_cast<contact_centre::CallId>(call), clock_.Now());
        }
      } else if (gone.status().code() == Status::Code::kFailedPrecondition) {
        StepDown(gone.status().message());
        may_lead = false;
      }
    }
  }
  if (!leading_.load() && may_lead && !resign_.load() && now >= next_try_) {
    next_try_ = now + options_.leader_poll;
    Result<std::optional<int64_t>> got = lease_.TryAcquire();
    if (!got.ok()) {
      spdlog::warn("cluster: leader lease: {}", got.status().ToString());
    } else if (got->has_value()) {
      if (!BecomeLeader(**got)) may_lead = false;
    }
  }
  if (leading_.load() && writer_.fenced()) {
    StepDown("a decision was refused under term " + std::to_string(term_));
    may_lead = false;
  }
  if (leading_.load()) {
    Result<std::vector<ClusterEvent>> events = store_.TakeEvents(term_);
    if (events.ok()) {
      for (const ClusterEvent& e : *events) Apply(e);
    } else if (events.status().code() == Status::Code::kFailedPrecondition) {
      StepDown(events.status().message());
      may_lead = false;
    } else {
      spdlog::warn("cluster: events not read: {}", events.status().ToString());
    }
  }
  ExecuteDecisions();
  Result<bool> woken = store_.WaitForChange(options_.poll);
  if (!woken.ok()) {
    spdlog::warn("cluster: {}", woken.status().ToString());
    // The database is away: do not spin.
    std::this_thread::sleep_for(options_.poll);
  }
}

bool ClusterNode::BecomeLeader(int64_t term) {
  term_ = term;
  writer_.SetTerm(term);
  Result<ClusterSnapshot> snap = store_.TakeSnapshot(term);
  if (!snap.ok()) {
    StepDown("the line's queue could not be read: " + snap.status().ToString());
    return false;
  }
  leading_.store(true);
  on_call_at_takeover_.clear();
  asked_.clear();
  const Time now = clock_.Now();
  size_t waiting = 0;
  // The calls first, in their original order, each with its own enqueue
  // time: their places do not depend on when the operators come back.
  for (const ClusterCall& call : snap->calls) {
    if (call.state == "connected") {
      on_call_at_takeover_[call.id] = call.operator_id;
      continue;
    }
    if (call.state == "ringing") {
      // Rung by the old leader: the ring stops, and the call keeps its place.
      writer_.CancelRing(static_cast<contact_centre::CallId>(call.id));
    }
    centre_.CallEnqueued(ToWaitingCall(call), now);
    ++waiting;
  }
  centre_.Step();  // the calls are in the router before any operator is ready
  for (const OperatorStateRow& row : snap->operators) {
    asked_[row.operator_id] = row;
    ApplyOperator(row);
  }
  spdlog::warn("cluster: {} leads the routing (term {}): {} calls waiting, {} on a call, {} "
               "operators' states taken over",
               options_.node_id, term, waiting, on_call_at_takeover_.size(), snap->operators.size());
  return true;
}

void ClusterNode::StepDown(const std::string& why) {
  const bool was = leading_.exchange(false);
  writer_.SetTerm(0);
  lease_.Release();
  if (was) spdlog::error("cluster: {} no longer leads the routing: {}", options_.node_id, why);
}

void ClusterNode::ApplyOperator(const OperatorStateRow& row) {
  for (const auto& [call, op] : on_call_at_takeover_) {
    // Busy on a call this centre never saw: not offered calls until it ends.
    if (op == row.operator_id) {
      (void)centre_.ApplyOperatorState(row.operator_id, "not_ready", "call in progress");
      return;
    }
  }
  if (Status st = centre_.ApplyOperatorState(row.operator_id, row.state, row.reason); !st.ok()) {
    spdlog::warn("cluster: operator {} state {} not applied: {}", row.operator_id, row.state,
                 st.ToString());
  }
}

void ClusterNode::CallEnded(int64_t call) {
  auto it = on_call_at_takeover_.find(call);
  if (it == on_call_at_takeover_.end()) return;
  const std::string op = it->second;
  on_call_at_takeover_.erase(it);
  if (auto asked = asked_.find(op); asked != asked_.end()) ApplyOperator(asked->second);
}

void ClusterNode::Apply(const ClusterEvent& e) {
  using contact_centre::CallId;
  const auto call = static_cast<CallId>(e.call);
  if (e.kind == "enqueued") {
    if (e.enqueued) centre_.CallEnqueued(ToWaitingCall(*e.enqueued), e.at);
  } else if (e.kind == "answered") {
    centre_.OperatorAnswered(call, e.at);
  } else if (e.kind == "ring_failed") {
    centre_.OperatorRingFailed(call, e.fields.empty() ? std::string("failed") : e.fields[0], e.at);
  } else if (e.kind == "caller_hung_up") {
    if (on_call_at_takeover_.count(e.call) != 0) return CallEnded(e.call);
    centre_.CallerHungUp(call, e.at);
  } else if (e.kind == "operator_hung_up") {
    if (on_call_at_takeover_.count(e.call) != 0) return CallEnded(e.call);
    centre_.OperatorHungUp(call, e.at);
  } else if (e.kind == "callback") {
    centre_.CallbackRequested(call, e.at);
  } else if (e.kind == "recording") {
    Result<contact_centre::SavedRecording> r = RecordingOf(e.fields);
    if (r.ok()) centre_.RecordingSaved(call, std::move(r).value());
  } else if (e.kind == "operator_state") {
    if (e.fields.size() != 2) return;
    OperatorStateRow row{e.operator_id, e.fields[0], e.fields[1], e.at};
    asked_[row.operator_id] = row;
    ApplyOperator(row);
  } else {
    spdlog::warn("cluster: event {} of unknown kind {} ignored", e.seq, e.kind);
  }
}

void ClusterNode::ExecuteDecisions() {
  contact_centre::CallConnector* telephony = nullptr;
  {
    MutexLock lock(mu_);
    telephony = telephony_;
  }
  if (telephony == nullptr) return;
  Result<std::vector<ClusterDecision>> decisions = store_.TakeDecisions(options_.node_id);
  if (!decisions.ok()) {
    spdlog::warn("cluster: decisions not read: {}", decisions.status().ToString());
    return;
  }
  for (const ClusterDecision& d : *decisions) {
    if (Status st = Execute(d, *telephony); !st.ok()) spdlog::warn("cluster: {}", st.ToString());
  }
}

}  // namespace gosline::cluster
