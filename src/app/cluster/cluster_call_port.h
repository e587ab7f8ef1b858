// Telephony's side of a line of several nodes (R4, R11): the
// CallCentrePort of every node, which hands what happens to the node's calls
// to the routing leader through the cluster tables (storage/cluster_store.h)
// instead of a centre of its own. The leader's decisions come back through
// ClusterNode.
//
// A call entering a queue has its case filed here, on the node that holds
// it (R14; the registry is shared), so its number and priority (R9) are
// stored with the call and survive a change of leader.
//
// Threads: telephony's threads call the port; each call only queues (the
// SIP and media threads never wait for the database). One writer thread
// writes the queue in order, retrying while the database is unreachable.
// mu_ guards the queue, the call ids and stop_.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "app/case_service.h"
#include "app/contact_centre/call_centre_port.h"
#include "core/common/clock.h"
#include "core/common/thread_annotations.h"
#include "storage/cluster_store.h"

namespace gosline::cluster {

class ClusterCallPort final : public contact_centre::CallCentrePort {
 public:
  ClusterCallPort(ClusterStore& store, std::string node_id, CaseService& cases);
  ~ClusterCallPort() override;  // Stop()

  void Start();
  // Writes what is queued (each write retried a bounded number of times), then stops.
  void Stop() GOSLINE_EXCLUDES(mu_);

  // The line-wide id of one of this node's calls; 0 when not (yet) stored.
  int64_t ClusterIdOf(contact_centre::CallId local) const GOSLINE_EXCLUDES(mu_);

  void CallEnqueued(contact_centre::WaitingCall call, Time now) override;
  void OperatorAnswered(contact_centre::CallId call, Time now) override;
  void OperatorRingFailed(contact_centre::CallId call, std::string reason, Time now) override;
  void CallerHungUp(contact_centre::CallId call, Time now) override;
  void OperatorHungUp(contact_centre::CallId call, Time now) override;
  void CallbackRequested(contact_centre::CallId call, Time now) override;
  void RecordingSaved(contact_centre::CallId call, contact_centre::SavedRecording recording) override;

 private:
  using Write = std::function<Status()>;
  void Post(std::string what, Write write) GOSLINE_EXCLUDES(mu_);
  void Event(contact_centre::CallId call, std::string kind, std::vector<std::string> fields,
             Time at);
  void Run() GOSLINE_EXCLUDES(mu_);
  Status Enqueue(const contact_centre::WaitingCall& call, Time now) GOSLINE_EXCLUDES(mu_);

  ClusterStore& store_;
  const std::string node_id_;
  CaseService& cases_;

  mutable Mutex mu_;
  CondVar cv_;
  std::deque<std::pair<std::string, Write>> queue_ GOSLINE_GUARDED_BY(mu_);
  // This node's call number -> line-wide id; ended calls are kept a while
  // for their late recordings.
  std::map<contact_centre::CallId, int64_t> ids_ GOSLINE_GUARDED_BY(mu_);
  std::deque<contact_centre::CallId> ended_ GOSLINE_GUARDED_BY(mu_);
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  bool busy_ GOSLINE_GUARDED_BY(mu_) = false;  // the writer holds a write outside mu_
  std::thread writer_;
};

}  // namespace gosline::cluster
