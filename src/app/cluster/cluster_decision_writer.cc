#include "app/cluster/cluster_decision_writer.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "app/cluster/cluster_wire.h"

namespace gosline::cluster {

void ClusterDecisionWriter::Write(ClusterDecision decision) {
  const int64_t term = term_.load();
  if (term == 0 || fenced_.load()) return;  // not the leader: decides nothing
  Status st = store_.Decide(term, decision);
  if (st.ok()) return;
  if (st.code() == Status::Code::kFailedPrecondition) {
    fenced_.store(true);
    spdlog::error("cluster: routing leadership lost, decision refused: {}", st.ToString());
  } else if (st.code() != Status::Code::kNotFound) {  // NotFound: the call is gone already
    spdlog::error("cluster: decision {} for call {} not written: {}", decision.kind, decision.call,
                  st.ToString());
  }
}

void ClusterDecisionWriter::RingOperator(const contact_centre::OperatorRing& ring) {
  Write(RingDecision(ring));
}
void ClusterDecisionWriter::CancelRing(contact_centre::CallId call) {
  Write(SimpleDecision(call, "cancel_ring"));
}
void ClusterDecisionWriter::Announce(const contact_centre::WaitAnnouncement& announcement) {
  Write(AnnounceDecision(announcement));
}
void ClusterDecisionWriter::Hangup(contact_centre::CallId call, std::string reason) {
  Write(SimpleDecision(call, "hangup", {std::move(reason)}));
}
void ClusterDecisionWriter::ReleaseOperator(contact_centre::CallId call) {
  Write(SimpleDecision(call, "release"));
}

}  // namespace gosline::cluster
