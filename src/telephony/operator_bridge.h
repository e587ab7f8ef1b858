// The B2BUA towards operators' phones: rings an operator for a queued caller
// (an INVITE of our own), bridges the caller's and the operator's media once
// the phone answers (recording the conversation), follows the phone's
// re-INVITEs (hold, unhold, refresh), ends the operator's leg on transfer,
// callback or the caller's hang-up, ends the whole call when the operator
// hangs up or their phone goes silent, and reports each of these to the
// contact centre (CallCentrePort). The centre's CallId is the caller's leg id.
//
// Threads: as TelephonyServer's. Legs and the centre's calls live on the SIP
// thread, bridges on the media thread; the "SIP thread" and "media thread"
// methods must be called there. The CallConnector-like entry points
// (RingOperator, CancelRing, ReleaseOperator) may be called from any thread.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/contact_centre/call_centre_port.h"
#include "telephony/codec_negotiation.h"
#include "telephony/media_bridge.h"
#include "telephony/media_call.h"
#include "telephony/media_loop.h"
#include "telephony/rtp_port_pool.h"
#include "telephony/sip_endpoint.h"
#include "telephony/telephony_config.h"

namespace gosline::telephony {

// Why ringing an operator failed, in the centre's words, from the final SIP
// status of our INVITE ("busy", "no_response", ...).
std::string RingFailure(int status);
// Our offer to an operator's phone: both G.711 laws and RFC 4733 keys.
// Our offer to an operator's phone: G.711 and telephone-event, on RTP/SAVP
// with our crypto line when `crypto` is given (R22).
std::string RenderOperatorOffer(const std::string& address, uint16_t port, uint64_t session,
                                const std::optional<SdpCrypto>& crypto = std::nullopt);
// Whether a SIP URI is reached over TLS (sips:, or transport=tls).
bool IsTlsTarget(const std::string& uri);
// R22: whether an operator's phone at `target` is rung under the operator's
// SRTP mode, and whether SRTP is offered. Keys ride in the SDP, so SRTP is
// offered only over TLS (or with the lab switch); a phone that must use SRTP
// but is not reached over TLS is not rung.
struct OperatorSrtp {
  bool ring = true;
  bool offer = false;
};
OperatorSrtp ChooseOperatorSrtp(SrtpMode mode, const std::string& target, bool srtp_over_udp);

class OperatorBridge {
 public:
  // What the bridge asks of the caller's side, which the server keeps.
  class Host {
   public:
    virtual ~Host() = default;
    // SIP thread: the number the operator's phone shows for the caller (E.164
    // when known); nullopt once the caller's leg is gone.
    virtual std::optional<std::string> CallerNumber(uint64_t call) const = 0;
    // Media thread: the caller's media and its SIP Call-ID; null once gone.
    virtual MediaCall* CallerMedia(uint64_t call, std::string* call_id) = 0;
    // Where an operator's phone is registered now; nullopt when it is not.
    virtual std::optional<std::string> RegisteredContact(const std::string& operator_id) const = 0;
  };

  // All must outlive the bridge.
  OperatorBridge(const TelephonyConfig& config, SipEndpoint& sip, MediaLoop& media,
                 RtpPortPool& ports, Host& host);
  ~OperatorBridge();

  // Any time; null: nothing is reported (queued callers just hear the prompts).
  void SetCallCentre(contact_centre::CallCentrePort* port) { port_ = port; }
  bool has_call_centre() const { return port_.load() != nullptr; }

  // Any thread (queued onto the SIP thread).
  void RingOperator(const contact_centre::OperatorRing& ring);
  void CancelRing(contact_centre::CallId call);
  // Transfer (R12): the operator's leg ends (BYE), the caller hears the queue
  // again and is recorded anew when the next operator answers.
  void ReleaseOperator(contact_centre::CallId call);

  // SIP thread.
  // The caller entered a queue: from now on the centre hears of the call.
  void CallerQueued(contact_centre::WaitingCall waiting);
  // The caller asked to be called back instead of waiting.
  void CallbackRequested(uint64_t call);
  // A leg ended: an operator's (true: handled here) or a caller's (false; the
  // operator's leg, if any, is ended and the centre told).
  bool OnLegEnded(LegId leg, CallEndReason reason, int status);
  // A re-INVITE on an operator's leg; nullopt when `leg` is not one.
  std::optional<SipAnswer> OnReinvite(LegId leg, const std::string& content_type,
                                      const std::string& body);
  void OnDialAnswered(LegId leg, const std::string& content_type, const std::string& sdp);

  // Media thread.
  // Ends the bridge of `call` (recording saved); a no-op without one.
  void EndBridge(uint64_t call);
  // Each tick: an operator's phone silent for media_timeout ends the call
  // (both legs), as a silent caller does.
  void CheckOperatorMedia(Time now);

  // After both threads stopped: ends every bridge, frees every port.
  void Clear();

 private:
  struct OperatorLeg;
  struct CentreCall;
  struct BridgeEntry {
    std::unique_ptr<MediaBridge> bridge;
    BoundRtpSocket socket;
    uint64_t operator_packets_seen = 0;
    Time operator_heard{};        // the last tick that saw new operator packets
    bool media_timed_out = false;  // the hang-up is on its way
  };

  // SIP thread.
  void StartRing(const contact_centre::OperatorRing& ring);
  void OperatorLegEnded(LegId leg, CallEndReason reason, int status);
  SipAnswer OperatorReinvite(OperatorLeg& op, const std::string& content_type,
                             const std::string& body);
  // Media thread: connects the caller to the answered operator leg.
  void StartBridge(uint64_t call, BoundRtpSocket socket, const sockaddr_in& remote,
                   const NegotiatedAudio& audio, const std::string& case_number);

  const TelephonyConfig& config_;
  SipEndpoint& sip_;
  MediaLoop& media_;
  RtpPortPool& ports_;
  Host& host_;
  std::atomic<contact_centre::CallCentrePort*> port_{nullptr};

  std::unordered_map<LegId, std::unique_ptr<OperatorLeg>> operator_legs_;  // SIP thread
  std::unordered_map<uint64_t, std::unique_ptr<CentreCall>> centre_calls_; // SIP thread
  std::unordered_map<uint64_t, BridgeEntry> bridges_;                   // media thread
};

}  // namespace gosline::telephony
