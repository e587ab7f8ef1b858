// The routing leader's CallConnector (R4, R11): the leader's contact centre
// decides for every call of the line, and each decision (ring operator X
// for call C, announce, hang up...) is written under the leader's term for
// the node that holds the call, which carries it out on its telephony
// (ClusterNode). A write refused because a later term began (fencing) means
// this node no longer leads: it is remembered, and ClusterNode steps down.
// A node's own calls go the same way, so every call is decided for in one
// order whichever node holds it.
//
// Threads: the centre calls it from its worker and HTTP threads, in
// decision order (ContactCentre's flush_mu_); term_ and fenced_ are atomics
// set by ClusterNode.
#pragma once

#include <atomic>
#include <cstdint>

#include "app/contact_centre/call_centre_port.h"
#include "storage/cluster_store.h"

namespace gosline::cluster {

class ClusterDecisionWriter final : public contact_centre::CallConnector {
 public:
  explicit ClusterDecisionWriter(ClusterStore& store) : store_(store) {}

  // Decisions are written under `term` from now on; 0: this node does not
  // lead and decides nothing (its centre's orders are dropped).
  void SetTerm(int64_t term) {
    fenced_.store(false);
    term_.store(term);
  }
  int64_t term() const { return term_.load(); }
  // A write was refused for a later term: this node must stop deciding.
  bool fenced() const { return fenced_.load(); }

  void RingOperator(const contact_centre::OperatorRing& ring) override;
  void CancelRing(contact_centre::CallId call) override;
  void Announce(const contact_centre::WaitAnnouncement& announcement) override;
  void Hangup(contact_centre::CallId call, std::string reason) override;
  void ReleaseOperator(contact_centre::CallId call) override;

 private:
  void Write(ClusterDecision decision);

  ClusterStore& store_;
  std::atomic<int64_t> term_{0};
  std::atomic<bool> fenced_{false};
};

}  // namespace gosline::cluster
