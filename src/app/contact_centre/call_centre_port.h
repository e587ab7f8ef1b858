// The contract between the telephony adapter (src/telephony) and the contact
// centre (src/app/contact_centre), which owns the pure routing core, the
// operators' states and the case of each call (R8-R14, R30).
//
// Telephony reports what happens to calls through CallCentrePort; the centre
// asks telephony to ring operators and to speak to waiting callers through
// CallConnector. Both directions are non-blocking and thread-safe: each side
// queues the work onto its own thread, so neither waits on the other's lock.
// Times are passed in (the adapter reads the clock), so the centre stays
// replayable from a log of these calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/contact_centre/call_cases.h"
#include "core/common/time.h"

namespace gosline::contact_centre {

// Unique among live calls; chosen by telephony (its call number).
using CallId = uint64_t;

// A caller that the IVR handed to a queue, with everything it collected (R12).
struct WaitingCall {
  CallId id = 0;
  std::string sip_call_id;    // for logs and the call record
  std::string caller;         // E.164 calling number ("" when withheld)
  std::string dialled;        // the hotline number dialled
  std::string caller_region;  // federal subject code from the numbering plan; may be ""
  std::string language;       // "ru", "en"
  std::string topic;          // topic chosen in the IVR
  std::string queue;          // queue named by the IVR node; "" = by topic and region
  std::string ivr_path;       // the nodes walked, for the operator's screen pop
  std::vector<std::pair<std::string, std::string>> collected;  // IVR variables
  Time started_at;            // when the call was answered by the IVR
  // Set by a line of several nodes (R4, R11), where another node filed the
  // case and the call may have waited under an earlier routing leader:
  // when the caller first entered a queue (their place), and the case filed
  // then (number, priority), so it is neither filed again nor re-prioritised.
  std::optional<Time> queued_since;
  std::optional<CallCase> filed;
};

// Where to ring an operator: the static contact from configuration, if any.
// Telephony prefers a live SIP registration of `operator_id` and falls back to it.
struct OperatorRing {
  CallId call = 0;
  std::string operator_id;
  std::string static_contact;  // "sip:ivanova@127.0.0.1:5090" or ""
  std::string case_number;     // sent in the X-Gosline-Case header (screen pop)
  std::string topic;
  std::string caller_region;
};

// What a waiting caller should hear now (announced on entry and every N s).
struct WaitAnnouncement {
  CallId call = 0;
  size_t position = 0;                    // 1 = next
  std::optional<Duration> estimated_wait;  // nullopt: unknown
  // Prompt ids played before the position: the corrective actions' high-load
  // announcement and callback offer (R13), on entry only.
  std::vector<std::string> prompts;
};

// Implemented by the contact centre; called by telephony.
// A recording telephony finished (R22, R30).
struct SavedRecording {
  std::string path;           // as written, inside the recordings folder
  Duration length{0};
  std::string sealed_key_id;  // the data key it is sealed under; "" in clear
  int64_t size_bytes = 0;     // of the file
};

class CallCentrePort {
 public:
  virtual ~CallCentrePort() = default;
  virtual void CallEnqueued(WaitingCall call, Time now) = 0;
  // The operator's phone answered; media is bridged from now.
  virtual void OperatorAnswered(CallId call, Time now) = 0;
  // Ringing failed: busy, rejected, unreachable, not registered ("no_answer" on timeout).
  virtual void OperatorRingFailed(CallId call, std::string reason, Time now) = 0;
  // The caller hung up (while waiting or ringing: abandoned; while connected: ended).
  virtual void CallerHungUp(CallId call, Time now) = 0;
  // The operator hung up a connected call.
  virtual void OperatorHungUp(CallId call, Time now) = 0;
  // The waiting caller pressed the callback key: store a callback request and
  // take the call out of the queue (telephony plays a confirmation and hangs up).
  virtual void CallbackRequested(CallId call, Time now) = 0;
  // The recording of one leg of a bridged call was written (stereo, caller
  // left): one per operator who answered, so several for a transferred call.
  virtual void RecordingSaved(CallId call, SavedRecording recording) = 0;
};

// Implemented by telephony; called by the contact centre.
class CallConnector {
 public:
  virtual ~CallConnector() = default;
  // Start a B2BUA leg to the operator; report the outcome through the port.
  virtual void RingOperator(const OperatorRing& ring) = 0;
  // Stop ringing (the router withdrew the offer or timed it out); no report follows.
  virtual void CancelRing(CallId call) = 0;
  virtual void Announce(const WaitAnnouncement& announcement) = 0;
  // Hang up a call (e.g. the line closes); reported back as CallerHungUp.
  virtual void Hangup(CallId call, std::string reason) = 0;
  // A connected call was transferred away from its operator (R12): end the
  // operator's leg only and keep the caller (on hold / hearing the queue)
  // until the next RingOperator for the same call. No report follows.
  virtual void ReleaseOperator(CallId call) = 0;
};

// The composition root (cli/served_line.cc) wires the two sides:
//   phone->AttachCallCentre(port); centre->SetConnector(&phone->call_connector());
// Telephony hands WaitingCall.sip_call_id = the Call-ID it writes in the call
// records: the centre adds its outcome columns to that row.

}  // namespace gosline::contact_centre
