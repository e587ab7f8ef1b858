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

#include "core/common/status.h"
#include "telephony/call_flow.h"
#include "telephony/call_record_sink.h"
#include "telephony/case_status_lookup.h"
#include "telephony/codec_negotiation.h"
#include "telephony/dialled_numbers.h"
#include "telephony/media_call.h"
#include "telephony/media_loop.h"
#include "telephony/prompt_library.h"
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
};

class TelephonyServer : private SipEndpoint::Handler, private MediaCall::Outbox {
 public:
  TelephonyServer(TelephonyConfig config, TelephonyServerDeps deps);
  ~TelephonyServer() override;

  // Prepares prompts (espeak-ng, cached), starts media and SIP. Fails when a
  // port is taken or a prompt cannot be made.
  Status Start();
  // Ends every call (BYE), writes their records, stops both threads.
  void Stop();

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
  void OnDigit(LegId leg, char digit) override;
  void OnEnded(LegId leg, CallEndReason reason, int status) override;
  // MediaCall::Outbox (media thread)
  void Hangup(uint64_t call, CallEndReason reason) override;
  void LookupCase(uint64_t call, uint64_t request_id, const std::string& number) override;
  void EnteredQueue(uint64_t call, const EnterQueueAction& queue) override;
  void DigitReceived(uint64_t call, char digit, DigitSource source) override;

  void OnTick(uint64_t ticks);
  // Media thread: ends the media side of a call, frees its port and writes
  // its record with what the IVR learned.
  void EndMedia(uint64_t call, BoundRtpSocket socket, CallRecord& record);
  void WriteRecord(const CallRecord& record);

  TelephonyConfig config_;
  TelephonyServerDeps deps_;
  DialledNumbers numbers_;
  std::shared_ptr<const PromptLibrary> prompts_;
  RtpPortPool ports_;
  MediaLoop media_;
  SipEndpoint sip_;
  std::atomic<size_t> active_calls_{0};
  std::atomic<uint64_t> refused_{0};   // 503s sent (SIP thread writes)
  static constexpr uint64_t kStatsTicks = 500;  // 10 s
  uint64_t tick_count_ = 0;            // media thread
  uint64_t refused_reported_ = 0;      // media thread
  bool started_ = false;

  std::unordered_map<LegId, std::unique_ptr<SipCall>> sip_calls_;      // SIP thread
  struct MediaEntry {
    std::unique_ptr<MediaCall> call;
    std::string call_id;
  };
  std::unordered_map<uint64_t, MediaEntry> media_calls_;              // media thread
};

}  // namespace gosline::telephony
