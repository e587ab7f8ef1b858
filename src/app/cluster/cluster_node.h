// One node of a line whose nodes share one queue order (R4, R11; design in
// docs/cluster.md). Every node beats its heartbeat and carries out the
// routing leader's decisions for the calls it holds; one node at a time,
// the leader, runs the line's contact centre:
//
//   standby  tries the leader lease every leader_poll; once it gets it, it
//            rebuilds the centre from the cluster tables (each waiting call
//            with its original enqueue time and case, then the operators'
//            states) and leads;
//   leader   feeds the centre the events every node reports, removes the
//            calls of nodes whose heartbeat stopped, checks its lease every
//            heartbeat; its centre's decisions are written under its term
//            (ClusterDecisionWriter). A lost lease or a refused decision
//            makes it step down at once.
//
// A node that stepped down leads no more until restarted: its centre still
// holds the line as it was, and would not match a newer leader's tables.
//
// Threads: one coordinator thread runs every round (it owns the lease, the
// term and the per-leadership maps below); LISTEN/NOTIFY wakes it, and it
// polls every `poll` anyway. mu_ guards the telephony connector and stop_;
// leading_ is an atomic read by any thread.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include "app/cluster/cluster_decision_writer.h"
#include "app/contact_centre/contact_centre.h"
#include "core/common/clock.h"
#include "core/common/thread_annotations.h"
#include "storage/cluster_store.h"

namespace gosline::cluster {

struct ClusterNodeOptions {
  std::string node_id;
  Duration leader_poll{std::chrono::milliseconds(1000)};  // a standby's tries
  Duration heartbeat{std::chrono::milliseconds(1000)};    // and the leader's lease check
  Duration node_timeout{std::chrono::milliseconds(10000)};  // silent longer: its calls are gone
  Duration poll{std::chrono::milliseconds(200)};          // without a notification
};

class ClusterNode {
 public:
  // `centre` is this node's centre (it decides only while this node leads);
  // `writer` is its connector.
  ClusterNode(ClusterNodeOptions options, ClusterStore& store, LeaderLease& lease,
              contact_centre::ContactCentre& centre, ClusterDecisionWriter& writer,
              const Clock& clock);
  ~ClusterNode();  // Stop()

  // Where this node's calls are rung and spoken to; null: decisions wait.
  void SetTelephony(contact_centre::CallConnector* telephony) GOSLINE_EXCLUDES(mu_);
  void Start() GOSLINE_EXCLUDES(mu_);
  // Gives the leadership up (a standby takes over within its leader_poll)
  // and joins the thread; the node's calls get no more decisions.
  void Stop() GOSLINE_EXCLUDES(mu_);
  // Drain: gives the leadership up, goes on carrying out decisions.
  void Resign();
  bool leading() const { return leading_.load(); }

 private:
  void Run() GOSLINE_EXCLUDES(mu_);
  void Round(bool& may_lead) GOSLINE_EXCLUDES(mu_);
  bool BecomeLeader(int64_t term);
  void StepDown(const std::string& why);
  void Apply(const ClusterEvent& event);
  // An operator on a call when this node took over gets their own state
  // back when that call ends.
  void CallEnded(int64_t call);
  void ApplyOperator(const OperatorStateRow& row);
  void ExecuteDecisions() GOSLINE_EXCLUDES(mu_);

  const ClusterNodeOptions options_;
  ClusterStore& store_;
  LeaderLease& lease_;
  contact_centre::ContactCentre& centre_;
  ClusterDecisionWriter& writer_;
  const Clock& clock_;

  std::atomic<bool> leading_{false};
  std::atomic<bool> resign_{false};
  // Coordinator thread only:
  int64_t term_ = 0;
  std::chrono::steady_clock::time_point next_beat_{};  // heartbeat, lease check, dead nodes
  std::chrono::steady_clock::time_point next_try_{};   // a standby's next try of the lease
  std::map<int64_t, std::string> on_call_at_takeover_;  // call -> operator
  std::map<std::string, OperatorStateRow> asked_;       // operator -> the state they asked for

  Mutex mu_;
  contact_centre::CallConnector* telephony_ GOSLINE_GUARDED_BY(mu_) = nullptr;
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gosline::cluster
