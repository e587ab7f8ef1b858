// How the contact centre's messages (call_centre_port.h) travel between the
// nodes of a line through the cluster tables (storage/cluster_store.h): a
// waiting call as a ClusterCall row, the centre's orders to telephony as
// ClusterDecisions, and back. One place, so both ends read what the other
// wrote.
#pragma once

#include <string>
#include <vector>

#include "app/contact_centre/call_centre_port.h"
#include "storage/cluster_store.h"

namespace gosline::cluster {

// The row a node stores for a call entering a queue (its own call number,
// the case filed for it, the time it entered: its place).
ClusterCall ToClusterCall(const contact_centre::WaitingCall& call, const std::string& node_id,
                          const contact_centre::CallCase& filed, Time enqueued_at);
// The call as the leader's centre routes it: the line-wide id, the original
// enqueue time and the case filed when it came in.
contact_centre::WaitingCall ToWaitingCall(const ClusterCall& row);

// The leader's orders for the call `call` (line-wide id).
ClusterDecision RingDecision(const contact_centre::OperatorRing& ring);
ClusterDecision AnnounceDecision(const contact_centre::WaitAnnouncement& announcement);
ClusterDecision SimpleDecision(contact_centre::CallId call, std::string kind,
                               std::vector<std::string> fields = {});

// Carries a decision out on the node's own telephony, for its call number;
// InvalidArgument for a decision it cannot read (nothing is done).
Status Execute(const ClusterDecision& decision, contact_centre::CallConnector& telephony);

// A recording's fields in a "recording" event, and back.
std::vector<std::string> RecordingFields(const contact_centre::SavedRecording& recording);
Result<contact_centre::SavedRecording> RecordingOf(const std::vector<std::string>& fields);

}  // namespace gosline::cluster
