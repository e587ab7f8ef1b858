#include "app/cluster/cluster_wire.h"

#include <charconv>
#include <utility>

namespace gosline::cluster {
namespace {

std::optional<int64_t> Number(const std::string& text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

ClusterCall ToClusterCall(const contact_centre::WaitingCall& call, const std::string& node_id,
                          const contact_centre::CallCase& filed, Time enqueued_at) {
  ClusterCall row;
  row.node_id = node_id;
  row.local_call = call.id;
  row.enqueued_at = enqueued_at;
  row.state = "waiting";
  row.sip_call_id = call.sip_call_id;
  row.caller = call.caller;
  row.dialled = call.dialled;
  row.caller_region = call.caller_region;
  row.language = call.language;
  row.topic = call.topic;
  row.queue = call.queue;
  row.ivr_path = call.ivr_path;
  row.collected = call.collected;
  row.started_at = call.started_at;
  row.case_number = filed.number;
  // The priority it got when it came in (R9): an open case, or one taken over.
  row.has_open_case = filed.reused || filed.has_open_case;
  row.earlier_cases = filed.earlier_cases;
  return row;
}

contact_centre::WaitingCall ToWaitingCall(const ClusterCall& row) {
  contact_centre::WaitingCall call;
  call.id = static_cast<contact_centre::CallId>(row.id);
  call.sip_call_id = row.sip_call_id;
  call.caller = row.caller;
  call.dialled = row.dialled;
  call.caller_region = row.caller_region;
  call.language = row.language;
  call.topic = row.topic;
  call.queue = row.queue;
  call.ivr_path = row.ivr_path;
  call.collected = row.collected;
  call.started_at = row.started_at;
  call.queued_since = row.enqueued_at;
  contact_centre::CallCase filed;
  filed.number = row.case_number;
  filed.has_open_case = row.has_open_case;
  filed.earlier_cases = row.earlier_cases;
  call.filed = std::move(filed);
  return call;
}

ClusterDecision RingDecision(const contact_centre::OperatorRing& ring) {
  ClusterDecision d = SimpleDecision(ring.call, "ring",
                                     {ring.static_contact, ring.case_number, ring.topic,
                                      ring.caller_region});
  d.operator_id = ring.operator_id;
  return d;
}

ClusterDecision AnnounceDecision(const contact_centre::WaitAnnouncement& a) {
  std::string wait;
  if (a.estimated_wait) {
    wait = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(*a.estimated_wait).count());
  }
  return SimpleDecision(a.call, "announce", {std::to_string(a.position), wait});
}

ClusterDecision SimpleDecision(contact_centre::CallId call, std::string kind,
                               std::vector<std::string> fields) {
  ClusterDecision d;
  d.call = static_cast<int64_t>(call);
  d.kind = std::move(kind);
  d.fields = std::move(fields);
  return d;
}

Status Execute(const ClusterDecision& d, contact_centre::CallConnector& telephony) {
  const contact_centre::CallId call = d.local_call;
  auto bad = [&d] {
    return Status::InvalidArgument("cluster decision " + std::to_string(d.seq) + " (" + d.kind +
                                   "): unreadable fields");
  };
  if (d.kind == "ring") {
    if (d.fields.size() != 4) return bad();
    telephony.RingOperator(contact_centre::OperatorRing{call, d.operator_id, d.fields[0],
                                                        d.fields[1], d.fields[2], d.fields[3]});
  } else if (d.kind == "cancel_ring") {
    telephony.CancelRing(call);
  } else if (d.kind == "announce") {
    if (d.fields.size() != 2) return bad();
    std::optional<int64_t> position = Number(d.fields[0]);
    if (!position || *position < 0) return bad();
    contact_centre::WaitAnnouncement a{call, static_cast<size_t>(*position), std::nullopt, {}};
    if (!d.fields[1].empty()) {
      std::optional<int64_t> ms = Number(d.fields[1]);
      if (!ms) return bad();
      a.estimated_wait = std::chrono::milliseconds(*ms);
    }
    telephony.Announce(a);
  } else if (d.kind == "hangup") {
    telephony.Hangup(call, d.fields.empty() ? std::string("hangup") : d.fields[0]);
  } else if (d.kind == "release") {
    telephony.ReleaseOperator(call);
  } else {
    return Status::InvalidArgument("cluster decision " + std::to_string(d.seq) + ": unknown kind \"" +
                                   d.kind + "\"");
  }
  return Status::Ok();
}

std::vector<std::string> RecordingFields(const contact_centre::SavedRecording& r) {
  return {r.path,
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(r.length).count()),
          r.sealed_key_id, std::to_string(r.size_bytes)};
}

Result<contact_centre::SavedRecording> RecordingOf(const std::vector<std::string>& fields) {
  if (fields.size() != 4) return Status::InvalidArgument("recording event: 4 fields expected");
  std::optional<int64_t> ms = Number(fields[1]);
  std::optional<int64_t> size = Number(fields[3]);
  if (!ms || !size) return Status::InvalidArgument("recording event: unreadable numbers");
  return contact_centre::SavedRecording{fields[0], std::chrono::milliseconds(*ms), fields[2], *size};
}

}  // namespace gosline::cluster
