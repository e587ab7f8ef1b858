#include "app/cluster/cluster_call_port.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "app/cluster/cluster_wire.h"
#include "app/contact_centre/call_cases.h"

namespace gosline::cluster {
namespace {

// A database that is away (restarting, failing over) is waited for about
// this long per write before the write is given up and logged.
constexpr int kAttempts = 20;
constexpr auto kRetryPause = std::chrono::milliseconds(250);
// Ended calls remembered for a recording saved after the hang-up.
constexpr size_t kEndedKept = 4096;

}  // namespace

ClusterCallPort::ClusterCallPort(ClusterStore& store, std::string node_id, CaseService& cases)
    : store_(store), node_id_(std::move(node_id)), cases_(cases) {}

ClusterCallPort::~ClusterCallPort() { Stop(); }

void ClusterCallPort::Start() {
  MutexLock lock(mu_);
  if (writer_.joinable() || stop_) return;
  writer_ = std::thread([this] { Run(); });
}

void ClusterCallPort::Stop() {
  {
    MutexLock lock(mu_);
    stop_ = true;
    cv_.NotifyAll();
  }
  if (writer_.joinable()) writer_.join();
}

int64_t ClusterCallPort::ClusterIdOf(contact_centre::CallId local) const {
  MutexLock lock(mu_);
  auto it = ids_.find(local);
  return it == ids_.end() ? 0 : it->second;
}

void ClusterCallPort::Post(std::string what, Write write) {
  MutexLock lock(mu_);
  queue_.emplace_back(std::move(what), std::move(write));
  cv_.NotifyAll();
}

void ClusterCallPort::Run() {
  MutexLock lock(mu_);
  for (;;) {
    while (queue_.empty() && !stop_) cv_.Wait(mu_);
    if (queue_.empty()) return;  // stopped, all written
    auto [what, write] = std::move(queue_.front());
    queue_.pop_front();
    lock.Unlock();
    Status st;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      st = write();
      if (st.code() != Status::Code::kUnavailable && st.code() != Status::Code::kIoError) break;
      std::this_thread::sleep_for(kRetryPause);
    }
    if (!st.ok()) spdlog::error("cluster: {} not reported to the routing leader: {}", what, st.ToString());
    lock.Lock();
  }
}

Status ClusterCallPort::Enqueue(const contact_centre::WaitingCall& call, Time now) {
  {
    MutexLock lock(mu_);
    if (ids_.count(call.id) != 0) return Status::Ok();  // told twice: the first one stands
  }
  contact_centre::CallCase filed;
  if (call.filed) {
    filed = *call.filed;
  } else {
    std::string error;
    filed = contact_centre::FileCallCase(
        cases_,
        {call.caller, call.topic, call.caller_region,
         call.sip_call_id.empty() ? std::to_string(call.id) : call.sip_call_id, now},
        &error);
    if (!error.empty()) spdlog::warn("cluster: call {}: no case filed: {}", call.id, error);
  }
  GOSLINE_ASSIGN_OR_RETURN(
      int64_t id,
      store_.AddCall(ToClusterCall(call, node_id_, filed, call.queued_since.value_or(now)), now));
  MutexLock lock(mu_);
  ids_[call.id] = id;
  return Status::Ok();
}

void ClusterCallPort::CallEnqueued(contact_centre::WaitingCall call, Time now) {
  const std::string what = "call " + std::to_string(call.id) + " entering a queue";
  Post(what, [this, c = std::move(call), now] { return Enqueue(c, now); });
}

void ClusterCallPort::Event(contact_centre::CallId call, std::string kind,
                            std::vector<std::string> fields, Time at) {
  const std::string what = "call " + std::to_string(call) + " " + kind;
  Post(what, [this, call, k = std::move(kind), f = std::move(fields), at]() -> Status {
    int64_t id = 0;
    {
      MutexLock lock(mu_);
      auto it = ids_.find(call);
      if (it == ids_.end()) return Status::Ok();  // never routed (no queue): nothing to tell
      id = it->second;
      if (k == "caller_hung_up" || k == "operator_hung_up" || k == "callback") {
        ended_.push_back(call);
        while (ended_.size() > kEndedKept) {
          ids_.erase(ended_.front());
          ended_.pop_front();
        }
      }
    }
    return store_.ReportCallEvent(node_id_, id, k, f, at);
  });
}

void ClusterCallPort::OperatorAnswered(contact_centre::CallId call, Time now) {
  Event(call, "answered", {}, now);
}
void ClusterCallPort::OperatorRingFailed(contact_centre::CallId call, std::string reason, Time now) {
  Event(call, "ring_failed", {std::move(reason)}, now);
}
void ClusterCallPort::CallerHungUp(contact_centre::CallId call, Time now) {
  Event(call, "caller_hung_up", {}, now);
}
void ClusterCallPort::OperatorHungUp(contact_centre::CallId call, Time now) {
  Event(call, "operator_hung_up", {}, now);
}
void ClusterCallPort::CallbackRequested(contact_centre::CallId call, Time now) {
  Event(call, "callback", {}, now);
}
void ClusterCallPort::RecordingSaved(contact_centre::CallId call,
                                     contact_centre::SavedRecording recording) {
  // The recording's time is not carried by telephony; the leader uses its own.
  Event(call, "recording", RecordingFields(recording), Time{});
}

}  // namespace gosline::cluster
