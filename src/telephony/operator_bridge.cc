#include "telephony/operator_bridge.h"

#include <cctype>
#include <filesystem>
#include <random>
#include <vector>

#include <spdlog/spdlog.h>

#include "security/key_ring.h"
#include "telephony/call_recorder.h"
#include "telephony/offer_check.h"
#include "telephony/sdp_answer.h"

namespace gosline::telephony {
namespace {

Time Now() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace

std::string RingFailure(int status) {
  switch (status) {
    case 408: return "no_response";
    case 480: return "unavailable";
    case 486: case 600: return "busy";
    case 404: case 410: case 484: return "not_found";
    case 403: case 603: return "rejected";
    case 487: return "cancelled";
    case 503: return "unreachable";  // also what the transport reports for ICMP errors
    default: return status >= 500 ? "server_error" : "rejected";
  }
}

bool IsTlsTarget(const std::string& uri) {
  std::string lower;
  for (char ch : uri) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower.starts_with("sips:") || lower.starts_with("<sips:") ||
         lower.find(";transport=tls") != std::string::npos;
}

OperatorSrtp ChooseOperatorSrtp(SrtpMode mode, const std::string& target, bool srtp_over_udp) {
  const bool may_offer = srtp_over_udp || IsTlsTarget(target);
  OperatorSrtp out;
  out.ring = mode != SrtpMode::kRequired || may_offer;
  out.offer = mode != SrtpMode::kOff && may_offer;
  return out;
}

std::string RenderOperatorOffer(const std::string& address, uint16_t port, uint64_t session,
                                const std::optional<SdpCrypto>& crypto) {
  std::string s;
  s += "v=0\r\n";
  s += "o=gosline " + std::to_string(session) + " 1 IN IP4 " + address + "\r\n";
  s += "s=gosline\r\n";
  s += "c=IN IP4 " + address + "\r\n";
  s += "t=0 0\r\n";
  s += "m=audio " + std::to_string(port) + (crypto ? " RTP/SAVP" : " RTP/AVP") + " 8 0 101\r\n";
  s += "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n";
  s += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
  if (crypto) s += "a=crypto:" + RenderSdpCrypto(*crypto) + "\r\n";
  s += "a=ptime:20\r\na=sendrecv\r\n";
  return s;
}

// An INVITE we sent to an operator's phone (SIP thread).
struct OperatorBridge::OperatorLeg {
  uint64_t caller = 0;
  BoundRtpSocket socket;      // until answered; then the bridge owns it
  std::string case_number;
  bool answered = false;
  bool withdrawn = false;     // CancelRing or the caller left: no report
  // Our side of the media, for the phone's re-INVITEs (hold, unhold, session
  // refresh): our RTP port stays, the version goes up with every answer.
  uint16_t local_port = 0;
  uint64_t sdp_session = 0;
  uint64_t sdp_version = 1;
  std::string local_sdp;      // our offer, then our latest answer
  // SRTP (R22): our crypto line when we offered it, and the policy the
  // phone's re-INVITEs are answered under (no downgrade to clear audio).
  std::optional<SdpCrypto> offered_crypto;
  SrtpPolicy srtp;
  std::optional<SrtpKeys> keys;
};

// A caller the contact centre knows about (SIP thread): from the queue entry
// until one of CallerHungUp / OperatorHungUp / CallbackRequested is reported.
struct OperatorBridge::CentreCall {
  LegId operator_leg = 0;     // ringing or connected; 0 = none
};

OperatorBridge::OperatorBridge(const TelephonyConfig& config, SipEndpoint& sip, MediaLoop& media,
                               RtpPortPool& ports, Host& host)
    : config_(config), sip_(sip), media_(media), ports_(ports), host_(host) {}

OperatorBridge::~OperatorBridge() = default;

void OperatorBridge::Clear() {
  std::vector<uint64_t> bridged;
  for (auto& [id, entry] : bridges_) bridged.push_back(id);
  for (uint64_t id : bridged) EndBridge(id);
  for (auto& [id, leg] : operator_legs_) {
    if (leg->socket.fd >= 0) ports_.Release(leg->socket);
  }
  operator_legs_.clear();
  centre_calls_.clear();
}

void OperatorBridge::CallerQueued(contact_centre::WaitingCall waiting) {
  const uint64_t call = waiting.id;
  centre_calls_.emplace(call, std::make_unique<CentreCall>());
  port_.load()->CallEnqueued(std::move(waiting), Now());
}

void OperatorBridge::CallbackRequested(uint64_t call) {
  auto c = centre_calls_.find(call);
  if (c == centre_calls_.end()) return;
  if (LegId op = c->second->operator_leg; op != 0) {
    if (auto o = operator_legs_.find(op); o != operator_legs_.end()) o->second->withdrawn = true;
    sip_.Hangup(op, CallEndReason::kCancelled);
  }
  centre_calls_.erase(c);
  port_.load()->CallbackRequested(call, Now());
}

bool OperatorBridge::OnLegEnded(LegId leg, CallEndReason reason, int status) {
  if (operator_legs_.count(leg) > 0) {
    OperatorLegEnded(leg, reason, status);
    return true;
  }
  if (auto centre = centre_calls_.find(leg); centre != centre_calls_.end()) {
    // The caller left while waiting, ringing or connected.
    if (LegId op = centre->second->operator_leg; op != 0) {
      if (auto o = operator_legs_.find(op); o != operator_legs_.end()) o->second->withdrawn = true;
      sip_.Hangup(op, CallEndReason::kCallerHangup);
    }
    centre_calls_.erase(centre);
    if (port_) port_.load()->CallerHungUp(leg, Now());
  }
  return false;
}

std::optional<SipAnswer> OperatorBridge::OnReinvite(LegId leg, const std::string& content_type,
                                                    const std::string& body) {
  auto o = operator_legs_.find(leg);
  if (o == operator_legs_.end()) return std::nullopt;
  return OperatorReinvite(*o->second, content_type, body);
}

void OperatorBridge::RingOperator(const contact_centre::OperatorRing& ring) {
  sip_.Post([this, ring] { StartRing(ring); });
}

void OperatorBridge::CancelRing(contact_centre::CallId call) {
  sip_.Post([this, call] {
    auto c = centre_calls_.find(call);
    if (c == centre_calls_.end() || c->second->operator_leg == 0) return;
    auto o = operator_legs_.find(c->second->operator_leg);
    if (o == operator_legs_.end() || o->second->answered) return;
    o->second->withdrawn = true;
    c->second->operator_leg = 0;  // the caller is waiting again (prompts never stopped)
    sip_.Hangup(o->first, CallEndReason::kCancelled);
  });
}

void OperatorBridge::ReleaseOperator(contact_centre::CallId call) {
  sip_.Post([this, call] {
    auto c = centre_calls_.find(call);
    if (c == centre_calls_.end() || c->second->operator_leg == 0) return;
    auto o = operator_legs_.find(c->second->operator_leg);
    c->second->operator_leg = 0;
    if (o == operator_legs_.end()) return;
    o->second->withdrawn = true;  // no report; the bridge ends when the leg does
    sip_.Hangup(o->first, CallEndReason::kServerHangup);
  });
}

void OperatorBridge::StartRing(const contact_centre::OperatorRing& ring) {
  auto fail = [this, &ring](const std::string& why) {
    spdlog::info("call leg {}: ringing {} failed: {}", ring.call, ring.operator_id, why);
    if (port_) port_.load()->OperatorRingFailed(ring.call, why, Now());
  };
  auto c = centre_calls_.find(ring.call);
  std::optional<std::string> caller = host_.CallerNumber(ring.call);
  if (c == centre_calls_.end() || !caller) return;  // already reported gone
  if (c->second->operator_leg != 0) return fail("already_ringing");
  std::string target = host_.RegisteredContact(ring.operator_id).value_or("");
  if (target.empty()) target = ring.static_contact;
  if (target.empty()) return fail("not_registered");
  // R22: the operator's SRTP setting, else the line's.
  auto mode_of = config_.srtp_operators.find(ring.operator_id);
  const SrtpMode mode = mode_of == config_.srtp_operators.end() ? config_.srtp : mode_of->second;
  const OperatorSrtp srtp = ChooseOperatorSrtp(mode, target, config_.srtp_over_udp);
  if (!srtp.ring) return fail("srtp_needs_tls");
  const bool tls = IsTlsTarget(target);
  std::optional<SdpCrypto> crypto;
  if (srtp.offer) crypto = OfferSrtpCrypto();
  Result<BoundRtpSocket> socket = ports_.Acquire();
  if (!socket.ok()) return fail("no_rtp_port");
  DialRequest dial;
  dial.target = target;
  dial.from_user = *caller;  // shown on the operator's phone
  dial.headers.emplace_back("X-Gosline-Case", ring.case_number);
  dial.no_response = config_.operator_no_response;
  const auto session = static_cast<uint64_t>(Now().time_since_epoch().count());
  dial.sdp = RenderOperatorOffer(config_.rtp_address, socket->port, session, crypto);
  const LegId leg = sip_.Dial(dial);
  if (leg == 0) {
    ports_.Release(*socket);
    return fail("bad_contact");
  }
  auto op = std::make_unique<OperatorLeg>();
  op->caller = ring.call;
  op->socket = *socket;
  op->case_number = ring.case_number;
  op->local_port = socket->port;
  op->sdp_session = session;
  op->local_sdp = dial.sdp;
  op->offered_crypto = crypto;
  op->srtp = SrtpPolicy{crypto ? SrtpMode::kRequired : SrtpMode::kOff, tls, config_.srtp_over_udp};
  operator_legs_[leg] = std::move(op);
  c->second->operator_leg = leg;
  spdlog::info("call leg {}: ringing operator {} at {} (case {})", ring.call, ring.operator_id,
               target, ring.case_number);
}

void OperatorBridge::OnDialAnswered(LegId leg, const std::string& content_type,
                                    const std::string& sdp) {
  auto o = operator_legs_.find(leg);
  if (o == operator_legs_.end()) return;
  OperatorLeg& op = *o->second;
  if (op.withdrawn) {  // answered as we cancelled: end it at once
    sip_.Hangup(leg, CallEndReason::kCancelled);
    return;
  }
  OfferCheck answer = CheckAnswer(content_type, sdp, op.offered_crypto);
  if (answer.error) {
    op.withdrawn = true;
    sip_.Hangup(leg, CallEndReason::kNoCommonCodec);
    auto c = centre_calls_.find(op.caller);
    if (c != centre_calls_.end()) c->second->operator_leg = 0;
    // An SRTP refusal carries a Reason: the phone would not encrypt.
    const std::string why = answer.error->reason.empty() ? "bad_sdp" : "no_srtp";
    spdlog::info("call leg {}: operator's answer refused: {}", op.caller, answer.error->warning);
    if (port_) port_.load()->OperatorRingFailed(op.caller, why, Now());
    return;
  }
  op.answered = true;
  op.keys = answer.audio.srtp;
  if (op.keys) {
    spdlog::info("call leg {}: operator's audio encrypted (SRTP {})", op.caller,
                 SrtpSuiteName(op.keys->suite));
  }
  const BoundRtpSocket socket = op.socket;
  op.socket = BoundRtpSocket{};  // the bridge owns it now
  if (port_) port_.load()->OperatorAnswered(op.caller, Now());
  media_.Post([this, call = op.caller, socket, remote = answer.remote, audio = answer.audio,
               case_number = op.case_number] {
    StartBridge(call, socket, remote, audio, case_number);
  });
}

// The operator's phone puts the caller on hold, takes them back, or refreshes
// the session: answered like the caller's re-INVITEs, the bridge follows.
SipAnswer OperatorBridge::OperatorReinvite(OperatorLeg& op, const std::string& content_type,
                                           const std::string& body) {
  if (!op.answered || op.withdrawn) {
    return SipAnswer::Reject(491, "Request Pending", CallEndReason::kError);
  }
  if (body.empty()) {  // a refresh without an offer: our current description is the offer
    SipAnswer same;
    same.sdp = op.local_sdp;
    return same;
  }
  OfferCheck offer = CheckOffer(content_type, body, op.srtp, op.keys);
  if (offer.error) return *offer.error;  // the bridge goes on as it was
  op.keys = offer.audio.srtp;
  op.local_sdp = RenderSdpAnswer(
      {config_.rtp_address, op.local_port, op.sdp_session, ++op.sdp_version}, offer.audio);
  media_.Post([this, call = op.caller, remote = offer.remote, audio = offer.audio] {
    auto b = bridges_.find(call);
    if (b == bridges_.end()) return;
    b->second.bridge->UpdateOperator(remote, audio);
    b->second.operator_heard = Now();  // back from hold: the timeout counts from here
  });
  SipAnswer ok;
  ok.sdp = op.local_sdp;
  return ok;
}

void OperatorBridge::OperatorLegEnded(LegId leg, CallEndReason reason, int status) {
  auto o = operator_legs_.find(leg);
  std::unique_ptr<OperatorLeg> op = std::move(o->second);
  operator_legs_.erase(o);
  auto c = centre_calls_.find(op->caller);
  if (c != centre_calls_.end() && c->second->operator_leg == leg) c->second->operator_leg = 0;
  if (!op->answered) {
    if (op->socket.fd >= 0) ports_.Release(op->socket);
    if (!op->withdrawn && port_) {
      spdlog::info("call leg {}: operator leg failed with {}", op->caller, status);
      port_.load()->OperatorRingFailed(op->caller, RingFailure(status), Now());
    }
    return;
  }
  media_.Post([this, call = op->caller] { EndBridge(call); });
  if (op->withdrawn || c == centre_calls_.end()) return;  // the caller ended it
  // The operator hung up (or their phone went silent): the caller's call ends
  // too, and its record says why.
  centre_calls_.erase(c);
  if (port_) port_.load()->OperatorHungUp(op->caller, Now());
  sip_.Hangup(op->caller, reason == CallEndReason::kMediaTimeout ? CallEndReason::kMediaTimeout
                                                                  : CallEndReason::kServerHangup);
}

void OperatorBridge::StartBridge(uint64_t call, BoundRtpSocket socket, const sockaddr_in& remote,
                                 const NegotiatedAudio& audio, const std::string& case_number) {
  std::string call_id;
  MediaCall* caller = host_.CallerMedia(call, &call_id);
  if (caller == nullptr || bridges_.count(call) > 0) {
    ports_.Release(socket);  // the caller is already gone
    return;
  }
  std::unique_ptr<CallRecorder> recorder;
  // A transferred call is recorded once per operator: _2, _3, ... after the
  // first (whether the earlier legs were sealed or not).
  std::string path = RecordingPath(config_.recordings_dir, case_number, call_id);
  std::error_code exists_error;
  auto taken = [&exists_error](const std::string& p) {
    return std::filesystem::exists(p, exists_error) ||
           std::filesystem::exists(p + ".sealed", exists_error);
  };
  for (int part = 2; taken(path) && part < 100; ++part) {
    path = RecordingPath(config_.recordings_dir, case_number,
                         call_id + "_" + std::to_string(part));
  }
  // R22: with a data key the conversation is sealed as it is recorded.
  auto opened = config_.recording_keys
                    ? CallRecorder::OpenSealed(path, *config_.recording_keys, case_number)
                    : CallRecorder::Open(path);
  if (opened.ok()) {
    recorder = std::move(*opened);
  } else {
    spdlog::error("call {}: {}", call_id, opened.status().ToString());
  }
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto bridge = std::make_unique<MediaBridge>(
      RtpSession(socket.fd, static_cast<uint32_t>(rng()), remote, audio), std::move(recorder));
  MediaBridge* raw = bridge.get();
  Status st = media_.Watch(socket.fd, [raw] { raw->OnOperatorReadable(); });
  if (!st.ok()) spdlog::error("call {}: {}", call_id, st.ToString());
  bridges_[call] = BridgeEntry{std::move(bridge), socket, 0, Now(), false};
  caller->SetBridge(raw);
}

void OperatorBridge::EndBridge(uint64_t call) {
  auto b = bridges_.find(call);
  if (b == bridges_.end()) return;
  BridgeEntry entry = std::move(b->second);
  bridges_.erase(b);
  std::string call_id;
  MediaCall* caller = host_.CallerMedia(call, &call_id);
  uint64_t caller_lost = 0;
  if (caller != nullptr) {
    caller->SetBridge(nullptr);
    caller_lost = caller->packets_lost();
  }
  if (entry.socket.fd >= 0) {
    media_.Unwatch(entry.socket.fd);
    ports_.Release(entry.socket);
  }
  std::unique_ptr<CallRecorder> recorder = entry.bridge->TakeRecorder();
  if (!recorder) return;
  const std::string path = recorder->path();
  Result<Duration> length = recorder->Close();
  if (!length.ok()) {
    spdlog::error("call leg {}: {}", call, length.status().ToString());
    return;
  }
  // RTP figures of the bridge (bench/b2bua_load.sh reads this line); the
  // caller's loss counts the whole call, IVR included.
  spdlog::info("call leg {}: recording {} ({} ms; {} caller / {} operator packets, {} late frames, "
               "lost {} caller / {} operator)",
               call, path, length->count(), entry.bridge->caller_packets(),
               entry.bridge->operator_packets(), entry.bridge->underruns(), caller_lost,
               entry.bridge->operator_lost());
  if (port_) {
    port_.load()->RecordingSaved(
        call, {path, *length, recorder->sealed_key_id(), recorder->size_bytes()});
  }
}

void OperatorBridge::CheckOperatorMedia(Time now) {
  for (auto& [call, entry] : bridges_) {
    if (entry.bridge->operator_packets() != entry.operator_packets_seen) {
      entry.operator_packets_seen = entry.bridge->operator_packets();
      entry.operator_heard = now;
    }
    // Like the caller's leg: a phone that holds the call (sends nothing by
    // agreement) never times out; one that dies silently does.
    if (entry.media_timed_out || !entry.bridge->operator_sends() ||
        now - entry.operator_heard <= config_.media_timeout) {
      continue;
    }
    entry.media_timed_out = true;
    spdlog::info("call leg {}: no RTP from the operator's phone for {} s: ending the call", call,
                 config_.media_timeout.count());
    sip_.Post([this, call = call] {
      auto c = centre_calls_.find(call);
      if (c != centre_calls_.end() && c->second->operator_leg != 0) {
        sip_.Hangup(c->second->operator_leg, CallEndReason::kMediaTimeout);
      }
    });
  }
}

}  // namespace gosline::telephony
