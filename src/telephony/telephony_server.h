// The telephony adapter as one object: SIP endpoint + media loop + the calls'
// flows (IVR). Constructed from TelephonyConfig; `gosline serve` starts it and
// connects call records to storage, the IVR model and the case lookup.
//
// Threads: the SIP thread (Sofia) and the media thread (RTP + IVR). Each call
// lives on both: signalling state on the SIP thread, media and flow on the
// media thread; they talk only through posted tasks.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/contact_centre/call_centre_port.h"

#include "core/common/clock.h"
#include "core/common/status.h"
#include "telephony/call_admission.h"
#include "telephony/call_flow.h"
#include "telephony/call_record_sink.h"
#include "telephony/call_setup.h"
#include "telephony/case_status_lookup.h"
#include "telephony/codec_negotiation.h"
#include "telephony/media_call.h"
#include "telephony/operator_bridge.h"
#include "telephony/operator_registrar.h"
#include "telephony/media_loop.h"
#include "telephony/prompt_library.h"
#include "telephony/recognition_workers.h"
#include "telephony/rtp_port_pool.h"
#include "telephony/sip_endpoint.h"
#include "telephony/telephony_config.h"
#include "telephony/telephony_observer.h"

namespace gosline::telephony {

struct TelephonyServerDeps {
  CallRecordSink* records = nullptr;  // required
  // A new flow per answered call; default: GreetingCallFlow(config.greeting_prompt).
  std::function<std::unique_ptr<CallFlow>()> make_flow;
  CaseStatusLookup* case_lookup = nullptr;   // none: lookups answer kError
  // Federal subject code of a caller's E.164 number, "" when unknown (R10).
  std::function<std::string(const std::string& e164)> region_of;
  TelephonyObserver* observer = nullptr;
  CallAdmission* admission = nullptr;  // R25 abuse protection; none: every call is admitted
  // R7: the speech engine for listen steps (must outlive the server); none:
  // listen steps take keys only. Its workers run off the media thread.
  RecognizerFactory* recognizers = nullptr;
  int recognition_workers = 2;
  size_t recognition_queue = 16;
};

// Also the CallConnector of the contact centre: the operators' side (ringing,
// bridging, reporting to its CallCentrePort) is OperatorBridge's. The
// centre's CallId is the caller's leg id.
class TelephonyServer : public contact_centre::CallConnector,
                        private SipEndpoint::Handler,
                        private MediaCall::Outbox,
                        private OperatorBridge::Host {
 public:
  // `clock` stamps call records and drives the contact centre; must outlive the server.
  TelephonyServer(TelephonyConfig config, TelephonyServerDeps deps, const Clock& clock);
  ~TelephonyServer() override;

  // Prepares prompts (espeak-ng, cached), starts media and SIP. Fails when a
  // port is taken or a prompt cannot be made.
  Status Start();
  // Ends every call (BYE), writes their records, stops both threads.
  void Stop();
  // R4: out of service for new calls (503 to INVITE and to health-probe
  // OPTIONS, Retry-After telephony.retry_after_s) while the calls in
  // progress go on; Stop ends what is left. Any thread; for good.
  void BeginDrain(std::string why) { sip_.BeginDrain(config_.retry_after_s, std::move(why)); }
  // The service manager's watchdog asks (any thread, one asker): did the SIP
  // and media loops both run the beat posted at the previous call? Posts the
  // next beat to each. False while a loop is stuck (or stopped), so a node
  // whose loops hang is restarted instead of keeping calls it cannot serve.
  bool LoopsAnswered();

  // Configuration change (after Start, any thread but SIP and media): from
  // the next INVITE on, calls are answered for `numbers` and run `make_flow`
  // (null: the greeting flow) with `prompts`, which are prepared here first
  // (espeak-ng, cached), with the queue prompts added. Calls in progress keep
  // what they started with. On error (a prompt cannot be made) nothing changes.
  Status UpdateCallSetup(const std::vector<std::string>& numbers,
                         std::function<std::unique_ptr<CallFlow>()> make_flow,
                         std::vector<PromptSpec> prompts);
  // Abuse protection for the next INVITE (null: every call is admitted). The
  // previous one must stay alive as long as the server (the SIP thread may be
  // in it).
  void SetAdmission(CallAdmission* admission) { admission_.store(admission); }

  // Any time (calls queued before it was set are not reported). null (the
  // default): queued callers just hear the waiting prompts, as before the
  // contact centre existed. Must outlive the server.
  void SetCallCentre(contact_centre::CallCentrePort* port) { operators_.SetCallCentre(port); }

  // CallConnector (any thread; queued onto the SIP or media thread).
  void RingOperator(const contact_centre::OperatorRing& ring) override;
  void CancelRing(contact_centre::CallId call) override;
  void Announce(const contact_centre::WaitAnnouncement& announcement) override;
  void Hangup(contact_centre::CallId call, std::string reason) override;
  // Transfer (R12): the operator's leg ends (BYE), the caller hears the queue
  // again and is recorded anew when the next operator answers.
  void ReleaseOperator(contact_centre::CallId call) override;

  // Live registration of an operator's phone (tests, the desktop's status).
  std::optional<std::string> OperatorContact(const std::string& operator_id) const;

  size_t active_calls() const { return active_calls_.load(); }
  double media_busy_share() const { return media_.busy_share(); }
  bool media_realtime() const { return media_.realtime(); }

 private:
  struct SipCall;    // SIP-thread state of a call
  // SipEndpoint::Handler (SIP thread)
  SipAnswer OnInvite(const InviteRequest& invite) override;
  SipAnswer OnReinvite(LegId leg, const std::string& content_type,
                       const std::string& body) override;
  void OnAnswered(LegId leg) override;
  void OnAck(LegId leg, const std::string& content_type, const std::string& body) override;
  void OnDigit(LegId leg, char digit) override;
  void OnEnded(LegId leg, CallEndReason reason, int status) override;
  RegisterReply OnRegister(const RegisterRequest& request) override;
  void OnDialAnswered(LegId leg, const std::string& content_type, const std::string& sdp) override;
  // MediaCall::Outbox (media thread)
  void Hangup(uint64_t call, CallEndReason reason) override;
  void LookupCase(uint64_t call, uint64_t request_id, const std::string& number,
                  const std::string& phone_last4) override;
  void EnteredQueue(uint64_t call, const EnterQueueAction& queue) override;
  void DigitReceived(uint64_t call, char digit, DigitSource source) override;
  bool CanRecognize(const std::string& language) const override;
  void Recognize(uint64_t call, uint64_t listen_id, RecognitionTurn turn,
                 std::vector<int16_t> audio) override;

  // OperatorBridge::Host
  std::optional<std::string> CallerNumber(uint64_t call) const override;
  MediaCall* CallerMedia(uint64_t call, std::string* call_id) override;
  std::optional<std::string> RegisteredContact(const std::string& operator_id) const override;

  // SIP thread: the ACK came; the call's media session starts on the media thread.
  void StartMedia(SipCall& c, LegId leg);
  void OnTick(uint64_t ticks);
  // The flow of the call setup when none is given: the fixed greeting.
  std::function<std::unique_ptr<CallFlow>()> GreetingFlow() const;
  std::vector<std::string> AnnouncementKeys(const contact_centre::WaitAnnouncement& a) const;
  // Media thread: ends the media side of a call, frees its port and writes
  // its record with what the IVR learned.
  void EndMedia(uint64_t call, BoundRtpSocket socket, CallRecord& record);
  void WriteRecord(const CallRecord& record);
  Time Now() const { return clock_.Now(); }

  TelephonyConfig config_;
  TelephonyServerDeps deps_;
  const Clock& clock_;
  CallSetupSlot setup_;                        // numbers, IVR, prompts of new calls
  std::atomic<CallAdmission*> admission_{nullptr};
  RtpPortPool ports_;
  MediaLoop media_;
  SipEndpoint sip_;
  OperatorBridge operators_;                   // the B2BUA towards operators' phones
  std::atomic<size_t> active_calls_{0};
  std::atomic<uint64_t> refused_{0};   // 503s sent (SIP thread writes)
  // LoopsAnswered: the beat last posted (the asker's) and the last one each
  // loop ran (written on that loop's thread).
  std::atomic<uint64_t> beat_posted_{0};
  std::atomic<uint64_t> sip_beat_{0};
  std::atomic<uint64_t> media_beat_{0};
  static constexpr uint64_t kStatsTicks = 500;  // 10 s
  uint64_t tick_count_ = 0;            // media thread
  uint64_t refused_reported_ = 0;      // media thread
  bool started_ = false;
  std::unique_ptr<OperatorRegistrar> registrar_;  // null without a passwords file
  // R7: made by Start when a recogniser is given, stopped by Stop before the
  // media loop, so no answer is posted to a loop that is gone.
  std::unique_ptr<RecognitionWorkers> recognition_;

  std::unordered_map<LegId, std::unique_ptr<SipCall>> sip_calls_;      // SIP thread
  struct MediaEntry {
    std::unique_ptr<MediaCall> call;
    std::string call_id;
    CallInfo info;
    Time answered{};
  };
  std::unordered_map<uint64_t, MediaEntry> media_calls_;              // media thread
};

}  // namespace gosline::telephony
