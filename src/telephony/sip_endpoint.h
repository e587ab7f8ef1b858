// The SIP side of the hotline: a Sofia-SIP nua user agent on UDP and TCP that
// answers INVITEs. Why nua and not nta: nua already implements the INVITE
// server dialog (100/180/200, ACK matching, CANCEL -> 487, BYE, re-INVITE
// glare and overlap checks, RFC 4028 session timers, automatic OPTIONS 200,
// 481 for stray requests); the one part we need to own, SDP offer/answer, is
// handed to us by switching nua's media engine off (NUTAG_MEDIA_ENABLE(0)).
//
// Threads: everything Sofia runs on one thread (su_root) created by Start().
// Handler callbacks run on that thread; Post() runs a task there from any
// thread; Hangup() and Dial() must be called on it (use Post; debug builds
// abort otherwise). Start and Stop from the owner's thread. The legs and the
// nua stack are owned by the SIP thread; the task queue and the wake-up
// descriptor are guarded by Impl::mu (Stop closes the descriptor under it,
// so a Post after Stop is dropped, never written to a closed or reused fd).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/common/status.h"
#include "telephony/call_record.h"
#include "telephony/loop_thread.h"
#include "telephony/operator_registrar.h"

namespace gosline::telephony {

using LegId = uint64_t;

struct InviteRequest {
  LegId leg = 0;
  std::string call_id;
  std::string from_user;     // caller's number as presented ("" when anonymous)
  std::string dialled_user;  // Request-URI user part
  std::string source;        // where it came from: Via received/host (R25 flood detection)
  std::string content_type;  // of the body ("" when none)
  std::string body;          // SDP offer
  // Came over SIP/TLS (the Via's transport, which the stack checks against
  // the connection it arrived on): SDES keys may then ride in the SDP (R22).
  bool secure_transport = false;
};

// Our answer to an INVITE (initial or re-INVITE).
struct SipAnswer {
  int status = 200;
  std::string phrase = "OK";       // for logs; the wire carries the standard phrase of status
  std::string sdp;                  // body for 2xx
  std::optional<int> retry_after_s; // 503
  std::string warning;              // human-readable reason, sent as Warning: 399
  // Sent as a Reason header (RFC 3326) with the status as its cause, so the
  // caller's phone can show why (an SRTP policy refusal); "" = none.
  std::string reason;
  CallEndReason reject_reason = CallEndReason::kError;  // for status >= 300

  static SipAnswer Reject(int status, std::string phrase, CallEndReason why,
                          std::string warning = {}) {
    SipAnswer a;
    a.status = status;
    a.phrase = std::move(phrase);
    a.reject_reason = why;
    a.warning = std::move(warning);
    return a;
  }
};

// An outgoing call leg (B2BUA: the server calls an operator's phone).
struct DialRequest {
  std::string target;        // Request-URI: "sip:ivanova@127.0.0.1:5090"
  std::string from_user;     // shown to the operator: the caller's number
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. X-Gosline-Case
  std::string sdp;           // our offer
  // No response at all within this (dead host, lost datagrams): the leg fails
  // with 408 instead of waiting for SIP timer B (32 s).
  std::chrono::milliseconds no_response{4000};
};

struct SipEndpointOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 5060;
  std::vector<std::string> transports{"udp", "tcp"};
  // SIP over TLS (R22): "sips" on this port, 0 = off; tls_cert_dir holds
  // agent.pem (key + certificate) and cafile.pem.
  uint16_t tls_port = 0;
  std::string tls_cert_dir;
  std::string user_agent = "gosline";
  std::chrono::milliseconds ring_time{0};
  unsigned session_expires_s = 1800;
  unsigned min_se_s = 90;
};

class SipEndpoint {
 public:
  // Called on the SIP thread.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual SipAnswer OnInvite(const InviteRequest& invite) = 0;
    virtual SipAnswer OnReinvite(LegId leg, const std::string& content_type,
                                 const std::string& body) = 0;
    // 200 OK sent. Media waits for the ACK (OnAck): only a peer that got
    // the 200 can send it, so the SDP cannot aim our RTP at a third party.
    virtual void OnAnswered(LegId leg) = 0;
    virtual void OnDigit(LegId leg, char digit) = 0;
    // Final: the leg is gone. status = the final response we sent to the INVITE
    // (for an outgoing leg: the final response we got; 408 when none came).
    virtual void OnEnded(LegId leg, CallEndReason reason, int status) = 0;
    // REGISTER (operators' phones). Default: 405 -- no registrar.
    virtual RegisterReply OnRegister(const RegisterRequest&) {
      RegisterReply r;
      r.status = 405;
      return r;
    }
    // Outgoing legs (Dial): 180/183 received; 200 received (ACK is sent).
    virtual void OnDialRinging(LegId) {}
    // ACK of our 200 (incoming legs); its body answers a late offer (INVITE
    // without SDP).
    virtual void OnAck(LegId, const std::string& /*content_type*/, const std::string& /*body*/) {}
    virtual void OnDialAnswered(LegId, const std::string& /*content_type*/,
                                const std::string& /*sdp*/) {}
  };

  SipEndpoint(SipEndpointOptions options, Handler& handler);
  ~SipEndpoint();
  SipEndpoint(const SipEndpoint&) = delete;
  SipEndpoint& operator=(const SipEndpoint&) = delete;

  // Binds the transports and starts the SIP thread; fails if a port is taken.
  Status Start();
  // Ends calls in progress (BYE), stops the thread. Idempotent.
  void Stop();

  // Any thread. After Stop the task is dropped (nothing would run it).
  void Post(std::function<void()> task);
  // True on the SIP thread (and on the thread finishing Stop, which reports
  // the legs the stack did not end after the SIP thread is gone).
  bool IsOnLoopThread() const;
  // SIP thread only: end the call (BYE when answered, 480 while ringing;
  // an outgoing leg not yet answered is CANCELled).
  void Hangup(LegId leg, CallEndReason reason);
  // SIP thread only: starts an outgoing INVITE; OnDial*/OnEnded report it.
  // 0 when the target is not a valid SIP URI.
  LegId Dial(const DialRequest& request);
  // Any thread; for good (a draining node stops afterwards). Takes the node
  // out of service for new calls while the calls in progress go on (R4):
  // a new INVITE and an OPTIONS outside a call (the front's health probe)
  // get 503 with Retry-After and a Reason naming `why`, so a front such as
  // Kamailio's dispatcher sends new calls elsewhere. Requests inside a call
  // (BYE, re-INVITE, INFO, OPTIONS) are answered as before. The refused
  // INVITEs reach no Handler: the call is recorded where it is answered.
  void BeginDrain(int retry_after_s, std::string why);

  struct Impl;

 private:
  void Run(std::promise<Status>* started);
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace gosline::telephony
