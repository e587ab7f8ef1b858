#include "telephony/telephony_server.h"

#include <arpa/inet.h>
#include <strings.h>

#include <filesystem>
#include <random>

#include <spdlog/spdlog.h>

#include "core/cases/phone.h"
#include "telephony/call_recorder.h"
#include "telephony/operator_passwords.h"
#include "telephony/sdp_answer.h"
#include "telephony/sdp_offer.h"

namespace gosline::telephony {
namespace {

SipEndpointOptions EndpointOptions(const TelephonyConfig& c) {
  SipEndpointOptions o;
  o.address = c.sip_address;
  o.port = c.sip_port;
  o.transports = c.sip_transports;
  o.tls_port = c.sip_tls_port;
  o.tls_cert_dir = c.sip_tls_cert_dir;
  o.user_agent = c.user_agent;
  o.ring_time = c.ring_time;
  o.session_expires_s = c.session_expires_s;
  o.min_se_s = c.min_se_s;
  return o;
}

bool IsSdp(const std::string& content_type) {
  return strncasecmp(content_type.c_str(), "application/sdp", 15) == 0;
}

// An offer we can answer, or the SIP error that says why not.
struct OfferCheck {
  std::optional<SipAnswer> error;
  NegotiatedAudio audio;
  sockaddr_in remote{};
};

OfferCheck CheckOffer(const std::string& content_type, const std::string& body) {
  OfferCheck out;
  if (body.empty()) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  "an SDP offer is required");
    return out;
  }
  if (!IsSdp(content_type)) {
    out.error = SipAnswer::Reject(415, "Unsupported Media Type", CallEndReason::kBadRequest,
                                  "body must be application/sdp");
    return out;
  }
  Result<SdpAudioOffer> offer = ParseSdpAudioOffer(body);
  if (!offer.ok()) {
    const bool malformed = offer.status().code() == Status::Code::kInvalidArgument;
    out.error = malformed ? SipAnswer::Reject(400, "Bad Session Description",
                                              CallEndReason::kBadRequest, offer.status().message())
                          : SipAnswer::Reject(488, "Not Acceptable Here",
                                              CallEndReason::kNoCommonCodec,
                                              offer.status().message());
    return out;
  }
  Result<NegotiatedAudio> audio = NegotiateAudio(*offer);
  if (!audio.ok()) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  audio.status().message());
    return out;
  }
  out.audio = *audio;
  out.remote.sin_family = AF_INET;
  out.remote.sin_port = htons(offer->port);
  if (inet_pton(AF_INET, offer->address.c_str(), &out.remote.sin_addr) != 1) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  "audio address must be an IPv4 literal");
  }
  return out;
}

// Why ringing an operator failed, in the centre's words.
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

// Our offer to an operator's phone: both G.711 laws and RFC 4733 keys.
std::string RenderOperatorOffer(const std::string& address, uint16_t port, uint64_t session) {
  std::string s;
  s += "v=0\r\n";
  s += "o=gosline " + std::to_string(session) + " 1 IN IP4 " + address + "\r\n";
  s += "s=gosline\r\n";
  s += "c=IN IP4 " + address + "\r\n";
  s += "t=0 0\r\n";
  s += "m=audio " + std::to_string(port) + " RTP/AVP 8 0 101\r\n";
  s += "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n";
  s += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
  s += "a=ptime:20\r\na=sendrecv\r\n";
  return s;
}

const char* const kDigitWords[] = {"ноль", "один", "два", "три", "четыре",
                                   "пять", "шесть", "семь", "восемь", "девять"};

// Queue announcements and the callback confirmation, unless the
// configuration words them itself.
void AddQueuePrompts(std::vector<PromptSpec>& prompts, const std::string& lang) {
  auto add = [&](const std::string& id, const std::string& text) {
    for (const PromptSpec& p : prompts) {
      if (p.id == id) return;  // the configuration's own wording wins
    }
    prompts.push_back(PromptSpec{id, lang, text, ""});
  };
  add("gosline.queue.position", "Ваш номер в очереди");
  add("gosline.queue.wait", "Примерное время ожидания, минут");
  add("gosline.queue.callback_confirmed",
      "Ваша заявка на обратный звонок принята. Оператор перезвонит вам. До свидания.");
  for (int d = 0; d < 10; ++d) add("gosline.digit." + std::to_string(d), kDigitWords[d]);
}

}  // namespace

// An INVITE we sent to an operator's phone (SIP thread).
struct TelephonyServer::OperatorLeg {
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
};

// A caller the contact centre knows about (SIP thread): from the queue entry
// until one of CallerHungUp / OperatorHungUp / CallbackRequested is reported.
struct TelephonyServer::CentreCall {
  LegId operator_leg = 0;     // ringing or connected; 0 = none
};

struct TelephonyServer::SipCall {
  CallRecord record;
  std::string caller_e164;
  BoundRtpSocket socket;
  NegotiatedAudio audio;
  sockaddr_in remote{};
  uint64_t sdp_session = 0;
  uint64_t sdp_version = 0;
  std::string answer_sdp;
  // Late offer (INVITE without SDP): our offer went in the 200 and media
  // starts once the ACK brings the caller's answer.
  bool awaiting_answer = false;
  // The numbers, IVR and prompts current when the INVITE came: the call
  // keeps them through any configuration change.
  std::shared_ptr<const CallSetup> setup;
};

TelephonyServer::TelephonyServer(TelephonyConfig config, TelephonyServerDeps deps,
                                 const Clock& clock)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      clock_(clock),
      ports_(config_.rtp_address, config_.rtp_port_min, config_.rtp_port_max),
      media_(config_.media_overload_share),
      sip_(EndpointOptions(config_), *this) {
  if (!deps_.make_flow) deps_.make_flow = GreetingFlow();
  admission_.store(deps_.admission);
}

std::function<std::unique_ptr<CallFlow>()> TelephonyServer::GreetingFlow() const {
  const std::string greeting = config_.greeting_prompt;
  return [greeting] { return std::make_unique<GreetingCallFlow>(greeting); };
}

TelephonyServer::~TelephonyServer() { Stop(); }

Status TelephonyServer::Start() {
  if (started_) return Status::FailedPrecondition("telephony server already started");
  if (deps_.records == nullptr) return Status::InvalidArgument("no call record sink");
  if (config_.rtp_port_min > config_.rtp_port_max) {
    return Status::InvalidArgument("rtp_port_min is above rtp_port_max", "rtp_port_min");
  }
  // Queue announcements and the callback confirmation: always prepared, as
  // the contact centre may be attached after Start.
  GOSLINE_RETURN_IF_ERROR(PrepareQueuePrompts());
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const PromptLibrary> prompts,
      PromptLibrary::Load(config_.prompts, config_.prompt_cache_dir));
  setup_.Replace(std::make_shared<const CallSetup>(
      CallSetup{DialledNumbers(config_.numbers), deps_.make_flow, prompts}));
  // No passwords file and no operators to make one for: no registrar
  // (REGISTER -> 405); operators' phones then need static contacts.
  std::error_code exists_error;
  if (!config_.operator_passwords_file.empty() &&
      (!config_.demo_operators.empty() ||
       std::filesystem::exists(config_.operator_passwords_file, exists_error))) {
    GOSLINE_ASSIGN_OR_RETURN(auto passwords,
        LoadOperatorPasswords(config_.operator_passwords_file, config_.demo_operators));
    registrar_ = std::make_unique<OperatorRegistrar>(config_.sip_realm, std::move(passwords));
  }
  GOSLINE_RETURN_IF_ERROR(
      media_.Start([this](uint64_t ticks) { OnTick(ticks); }, config_.realtime_media));
  if (config_.realtime_media && !media_.realtime()) {
    spdlog::warn("media loop: no permission for realtime priority; RTP timing may suffer on a "
                 "busy machine (grant CAP_SYS_NICE or set telephony.realtime_media: false)");
  }
  Status st = sip_.Start();
  if (!st.ok()) {
    media_.Stop();
    return st;
  }
  started_ = true;
  return Status::Ok();
}

void TelephonyServer::Stop() {
  if (!started_) return;
  started_ = false;
  sip_.Stop();    // BYE to every call; OnEnded posts each media teardown
  media_.Stop();  // runs those teardowns
  for (auto& [id, entry] : media_calls_) entry.call->OnHangup(Now());
  media_calls_.clear();
  std::vector<uint64_t> bridged;
  for (auto& [id, entry] : bridges_) bridged.push_back(id);
  for (uint64_t id : bridged) EndBridge(id);
  for (auto& [id, leg] : operator_legs_) {
    if (leg->socket.fd >= 0) ports_.Release(leg->socket);
  }
  operator_legs_.clear();
  centre_calls_.clear();
}

Status TelephonyServer::UpdateCallSetup(const std::vector<std::string>& numbers,
                                        std::function<std::unique_ptr<CallFlow>()> make_flow,
                                        std::vector<PromptSpec> prompts) {
  if (!setup_.Current()) return Status::FailedPrecondition("telephony server not started");
  // Synthesised on this (the caller's) thread before anything changes: a
  // prompt that cannot be made leaves every call as it was.
  AddQueuePrompts(prompts, config_.queue_prompt_language);
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const PromptLibrary> library,
      PromptLibrary::Load(prompts, config_.prompt_cache_dir));
  if (!make_flow) make_flow = GreetingFlow();
  setup_.Replace(std::make_shared<const CallSetup>(
      CallSetup{DialledNumbers(numbers), std::move(make_flow), library}));
  return Status::Ok();
}

// ------------------------------------------------------------ SIP thread

SipAnswer TelephonyServer::OnInvite(const InviteRequest& invite) {
  auto call = std::make_unique<SipCall>();
  CallRecord& r = call->record;
  r.call_id = invite.call_id;
  r.from = invite.from_user;
  r.dialled = invite.dialled_user;
  r.started = Now();
  if (std::optional<std::string> e164 = NormalizePhone(invite.from_user)) {
    call->caller_e164 = *e164;
    r.caller_e164 = *e164;
    if (deps_.region_of) {
      std::string region = deps_.region_of(*e164);
      if (!region.empty()) r.region_code = std::move(region);
    }
  }
  SipCall& c = *call;
  sip_calls_[invite.leg] = std::move(call);

  c.setup = setup_.Current();
  if (!c.setup->numbers.Contains(invite.dialled_user)) {
    return SipAnswer::Reject(404, "Not Found", CallEndReason::kNotFound,
                             "number not served here");
  }
  // R25: abuse protection before anything is answered.
  if (CallAdmission* admission = admission_.load()) {
    if (std::optional<SipAnswer> refused = admission->Check(invite.from_user, invite.source)) {
      return *refused;
    }
  }
  const bool full = active_calls_.load() >= config_.max_calls;
  if (full || media_.overloaded()) {
    ++refused_;
    SipAnswer busy = SipAnswer::Reject(503, "Service Unavailable", CallEndReason::kOverloaded,
                                       full ? "too many calls" : "media loop overloaded");
    busy.retry_after_s = config_.retry_after_s;
    return busy;
  }
  // RFC 3261 13.2.1: an INVITE without a body asks us to offer (in the 200);
  // the caller answers in the ACK.
  const bool late_offer = invite.body.empty();
  OfferCheck offer;
  if (late_offer) {
    offer.audio.telephone_event_pt = 101;  // our offer: PCMA/8000 and telephone-event
  } else {
    offer = CheckOffer(invite.content_type, invite.body);
    if (offer.error) return *offer.error;
  }

  Result<BoundRtpSocket> socket = ports_.Acquire();
  if (!socket.ok()) {
    ++refused_;
    SipAnswer busy = SipAnswer::Reject(503, "Service Unavailable", CallEndReason::kOverloaded,
                                       socket.status().message());
    busy.retry_after_s = config_.retry_after_s;
    return busy;
  }
  c.socket = *socket;
  c.audio = offer.audio;
  c.remote = offer.remote;
  c.sdp_session = static_cast<uint64_t>(r.started.time_since_epoch().count()) ^ invite.leg;
  c.sdp_version = 1;
  c.awaiting_answer = late_offer;
  c.answer_sdp = RenderSdpAnswer({config_.rtp_address, c.socket.port, c.sdp_session, c.sdp_version},
                                 c.audio);
  ++active_calls_;
  SipAnswer ok;
  ok.sdp = c.answer_sdp;
  return ok;
}

SipAnswer TelephonyServer::OnReinvite(LegId leg, const std::string& content_type,
                                      const std::string& body) {
  if (auto o = operator_legs_.find(leg); o != operator_legs_.end()) {
    return OperatorReinvite(*o->second, content_type, body);
  }
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end() || it->second->socket.fd < 0) {
    return SipAnswer::Reject(481, "Call Does Not Exist", CallEndReason::kError);
  }
  SipCall& c = *it->second;
  // A refresh without an offer: our current description is the offer.
  if (body.empty()) {
    SipAnswer same;
    same.sdp = c.answer_sdp;
    return same;
  }
  OfferCheck offer = CheckOffer(content_type, body);
  if (offer.error) return *offer.error;  // the call goes on as it was
  c.audio = offer.audio;
  c.remote = offer.remote;
  c.answer_sdp = RenderSdpAnswer(
      {config_.rtp_address, c.socket.port, c.sdp_session, ++c.sdp_version}, c.audio);
  media_.Post([this, leg, remote = c.remote, audio = c.audio] {
    auto m = media_calls_.find(leg);
    if (m != media_calls_.end()) m->second.call->OnMediaUpdate(remote, audio);
  });
  SipAnswer ok;
  ok.sdp = c.answer_sdp;
  return ok;
}

void TelephonyServer::OnAnswered(LegId leg) {
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end()) return;
  SipCall& c = *it->second;
  if (c.awaiting_answer) return;  // late offer: OnAck starts the media
  c.record.answered = Now();
  static thread_local std::mt19937 rng{std::random_device{}()};
  CallInfo info{c.record.call_id, c.record.dialled, c.caller_e164,
                c.record.region_code.value_or("")};
  MediaCall::Limits limits{config_.media_timeout, config_.max_call_duration,
                           config_.inband_dtmf_fallback};
  RtpSession rtp(c.socket.fd, static_cast<uint32_t>(rng()), c.remote, c.audio);
  media_.Post([this, leg, rtp, info, limits, fd = c.socket.fd, setup = c.setup,
                answered = *c.record.answered]() mutable {
    MediaCall::Outbox& outbox = *this;
    auto call = std::make_unique<MediaCall>(leg, std::move(rtp), setup->make_flow(),
                                            setup->prompts, outbox, limits);
    MediaCall* raw = call.get();
    media_calls_[leg] = MediaEntry{std::move(call), info.call_id, info, answered};
    Status st = media_.Watch(fd, [this, raw] { raw->OnReadable(Now()); });
    if (!st.ok()) spdlog::error("call {}: {}", info.call_id, st.ToString());
    raw->Start(info, Now());
  });
}

void TelephonyServer::OnAck(LegId leg, const std::string& content_type,
                            const std::string& body) {
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end() || !it->second->awaiting_answer) return;
  SipCall& c = *it->second;
  OfferCheck answer = CheckOffer(content_type, body);
  if (answer.error) {
    spdlog::info("call {}: late offer not answered in the ACK: {}", c.record.call_id,
                 answer.error->warning);
    sip_.Hangup(leg, answer.error->reject_reason);
    return;
  }
  c.audio = answer.audio;
  c.remote = answer.remote;
  c.awaiting_answer = false;
  OnAnswered(leg);
}

void TelephonyServer::OnDigit(LegId leg, char digit) {
  media_.Post([this, leg, digit] {
    auto m = media_calls_.find(leg);
    if (m != media_calls_.end()) m->second.call->OnDigit(digit, DigitSource::kSipInfo, Now());
  });
}

void TelephonyServer::OnEnded(LegId leg, CallEndReason reason, int status) {
  if (operator_legs_.count(leg) > 0) {
    OperatorLegEnded(leg, reason, status);
    return;
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
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end()) return;
  std::unique_ptr<SipCall> c = std::move(it->second);
  sip_calls_.erase(it);
  c->record.ended = Now();
  c->record.end_reason = reason;
  CallAdmission* admission = admission_.load();
  if (admission && reason != CallEndReason::kRefused) {
    admission->OnCallEnded(c->record.from, c->record.answered
                                               ? c->record.ended - *c->record.answered
                                               : Duration::zero());
  }
  c->record.sip_status = status;
  if (c->socket.fd < 0) {
    WriteRecord(c->record);
    return;
  }
  --active_calls_;
  // The record is written once the media side added what the IVR learned.
  media_.Post([this, leg, socket = c->socket, record = std::move(c->record)]() mutable {
    EndMedia(leg, socket, record);
  });
}

void TelephonyServer::WriteRecord(const CallRecord& record) {
  Status st = deps_.records->Write(record);
  if (!st.ok()) spdlog::error("call record {}: {}", record.call_id, st.ToString());
}

// ---------------------------------------------------------- media thread

void TelephonyServer::EndMedia(uint64_t call, BoundRtpSocket socket, CallRecord& record) {
  EndBridge(call);
  auto m = media_calls_.find(call);
  if (m != media_calls_.end()) {
    m->second.call->OnHangup(Now());
    m->second.call->DescribeInto(record);
    media_.Unwatch(socket.fd);
    media_calls_.erase(m);
  }
  ports_.Release(socket);
  WriteRecord(record);
}

void TelephonyServer::OnTick(uint64_t ticks) {
  // Catch up a few late frames so timestamps stay true; beyond that the loop
  // is overloaded and admission control is already refusing new calls.
  const uint64_t frames = std::min<uint64_t>(ticks, 5);
  for (uint64_t i = 0; i < frames; ++i) {
    const Time now = Now();
    for (auto& [id, entry] : media_calls_) entry.call->OnTick(now);
  }
  CheckOperatorMedia(Now());
  // Every 10 s, what operators watch: load, headroom, calls refused.
  tick_count_ += ticks;
  if (tick_count_ >= kStatsTicks) {
    tick_count_ = 0;
    const uint64_t refused = refused_.load();
    spdlog::info("telephony: {} calls in media, media loop busy {:.0f}%{}, {} refused (503) in 10 s",
                 media_calls_.size(), media_.busy_share() * 100,
                 media_.overloaded() ? " (overloaded)" : "", refused - refused_reported_);
    refused_reported_ = refused;
  }
}

void TelephonyServer::CheckOperatorMedia(Time now) {
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

void TelephonyServer::Hangup(uint64_t call, CallEndReason reason) {
  sip_.Post([this, call, reason] { sip_.Hangup(call, reason); });
}

void TelephonyServer::LookupCase(uint64_t call, uint64_t request_id, const std::string& number) {
  auto deliver = [this, call, request_id](CaseLookupResultEvent result) {
    result.request_id = request_id;
    media_.Post([this, call, result] {
      auto m = media_calls_.find(call);
      if (m != media_calls_.end()) m->second.call->OnCaseLookupResult(result, Now());
    });
  };
  if (deps_.case_lookup == nullptr) {
    deliver(CaseLookupResultEvent{request_id, CaseLookupOutcome::kError, CaseStatus::kNew, ""});
    return;
  }
  deps_.case_lookup->Lookup(number, deliver);
}

void TelephonyServer::EnteredQueue(uint64_t call, const EnterQueueAction& queue) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end()) return;
  spdlog::info("call {}: queued in '{}' (topic '{}')", m->second.call_id, queue.queue_id,
               queue.topic);
  if (deps_.observer) deps_.observer->OnEnteredQueue(m->second.call_id, queue);
  if (port_ == nullptr) return;
  contact_center::WaitingCall w;
  w.id = call;
  w.sip_call_id = m->second.call_id;
  w.caller = m->second.info.caller_number;
  w.dialled = m->second.info.dialled_number;
  w.caller_region = m->second.info.caller_region;
  w.language = queue.language;
  w.topic = queue.topic;
  w.queue = queue.queue_id;
  CallRecord walked;
  m->second.call->DescribeInto(walked);
  w.ivr_path = walked.ivr_path;
  for (const auto& [k, v] : queue.data) w.collected.emplace_back(k, v);
  w.started_at = m->second.answered;
  // Reported from the SIP thread, like every later event of the call, so the
  // centre hears of it before its hang-up; a caller already gone is never queued.
  sip_.Post([this, call, w = std::move(w)]() mutable {
    if (sip_calls_.count(call) == 0) return;
    centre_calls_.emplace(call, std::make_unique<CentreCall>());
    port_.load()->CallEnqueued(std::move(w), Now());
  });
}

void TelephonyServer::DigitReceived(uint64_t call, char digit, DigitSource source) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end()) return;
  if (deps_.observer) deps_.observer->OnDigit(m->second.call_id, digit, source);
  if (port_ == nullptr || config_.callback_key == '\0' || digit != config_.callback_key ||
      !m->second.call->waiting()) {
    return;
  }
  // Callback instead of waiting: the centre stores the request; the caller
  // hears the confirmation and the call ends.
  m->second.call->PlayThenHangup({"gosline.queue.callback_confirmed"});
  sip_.Post([this, call] {
    auto c = centre_calls_.find(call);
    if (c == centre_calls_.end()) return;
    if (LegId op = c->second->operator_leg; op != 0) {
      if (auto o = operator_legs_.find(op); o != operator_legs_.end()) o->second->withdrawn = true;
      sip_.Hangup(op, CallEndReason::kCancelled);
    }
    centre_calls_.erase(c);
    port_.load()->CallbackRequested(call, Now());
  });
}

// ------------------------------------------------------------ B2BUA

Status TelephonyServer::PrepareQueuePrompts() {
  AddQueuePrompts(config_.prompts, config_.queue_prompt_language);
  return Status::Ok();
}

std::vector<std::string> TelephonyServer::AnnouncementKeys(
    const contact_center::WaitAnnouncement& a) const {
  auto number = [](std::vector<std::string>& keys, size_t n) {
    for (char c : std::to_string(n)) keys.push_back(std::string("gosline.digit.") + c);
  };
  std::vector<std::string> keys{"gosline.queue.position"};
  number(keys, std::max<size_t>(a.position, 1));
  if (a.estimated_wait) {
    const auto minutes = std::chrono::ceil<std::chrono::minutes>(*a.estimated_wait).count();
    keys.push_back("gosline.queue.wait");
    number(keys, static_cast<size_t>(std::clamp<long>(minutes, 1, 999)));
  }
  return keys;
}

void TelephonyServer::Announce(const contact_center::WaitAnnouncement& a) {
  std::vector<std::string> keys = AnnouncementKeys(a);
  media_.Post([this, call = a.call, keys = std::move(keys)]() mutable {
    auto m = media_calls_.find(call);
    if (m != media_calls_.end()) m->second.call->Announce(std::move(keys));
  });
}

void TelephonyServer::RingOperator(const contact_center::OperatorRing& ring) {
  sip_.Post([this, ring] { StartRing(ring); });
}

void TelephonyServer::CancelRing(contact_center::CallId call) {
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

void TelephonyServer::ReleaseOperator(contact_center::CallId call) {
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

void TelephonyServer::HangUp(contact_center::CallId call, std::string reason) {
  spdlog::info("call leg {}: hung up by the contact centre ({})", call, reason);
  sip_.Post([this, call] { sip_.Hangup(call, CallEndReason::kServerHangup); });
}

std::optional<std::string> TelephonyServer::OperatorContact(const std::string& id) const {
  if (!registrar_) return std::nullopt;
  auto user = config_.operator_sip_users.find(id);
  return registrar_->ContactOf(user == config_.operator_sip_users.end() ? id : user->second, Now());
}

RegisterReply TelephonyServer::OnRegister(const RegisterRequest& request) {
  if (!registrar_) {
    RegisterReply r;
    r.status = 405;
    return r;
  }
  RegisterReply r = registrar_->OnRegister(request, Now());
  if (r.status == 200) {
    spdlog::info("sip: operator {} registered at {} ({} s)", request.aor_user,
                 r.contact.empty() ? "-" : r.contact, r.expires);
  }
  return r;
}

void TelephonyServer::StartRing(const contact_center::OperatorRing& ring) {
  auto fail = [this, &ring](const std::string& why) {
    spdlog::info("call leg {}: ringing {} failed: {}", ring.call, ring.operator_id, why);
    if (port_) port_.load()->OperatorRingFailed(ring.call, why, Now());
  };
  auto c = centre_calls_.find(ring.call);
  auto caller = sip_calls_.find(ring.call);
  if (c == centre_calls_.end() || caller == sip_calls_.end()) return;  // already reported gone
  if (c->second->operator_leg != 0) return fail("already_ringing");
  std::string target;
  if (registrar_) {
    auto user = config_.operator_sip_users.find(ring.operator_id);
    const std::string& sip_user =
        user == config_.operator_sip_users.end() ? ring.operator_id : user->second;
    target = registrar_->ContactOf(sip_user, Now()).value_or("");
  }
  if (target.empty()) target = ring.static_contact;
  if (target.empty()) return fail("not_registered");
  Result<BoundRtpSocket> socket = ports_.Acquire();
  if (!socket.ok()) return fail("no_rtp_port");
  DialRequest dial;
  dial.target = target;
  // The operator's phone shows the caller's number (E.164 when we know it).
  dial.from_user = caller->second->caller_e164.empty() ? caller->second->record.from
                                                       : caller->second->caller_e164;
  dial.headers.emplace_back("X-Gosline-Case", ring.case_number);
  dial.no_response = config_.operator_no_response;
  const auto session = static_cast<uint64_t>(Now().time_since_epoch().count());
  dial.sdp = RenderOperatorOffer(config_.rtp_address, socket->port, session);
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
  operator_legs_[leg] = std::move(op);
  c->second->operator_leg = leg;
  spdlog::info("call leg {}: ringing operator {} at {} (case {})", ring.call, ring.operator_id,
               target, ring.case_number);
}

void TelephonyServer::OnDialAnswered(LegId leg, const std::string& content_type,
                                     const std::string& sdp) {
  auto o = operator_legs_.find(leg);
  if (o == operator_legs_.end()) return;
  OperatorLeg& op = *o->second;
  if (op.withdrawn) {  // answered as we cancelled: end it at once
    sip_.Hangup(leg, CallEndReason::kCancelled);
    return;
  }
  OfferCheck answer = CheckOffer(content_type, sdp);
  if (answer.error) {
    op.withdrawn = true;
    sip_.Hangup(leg, CallEndReason::kNoCommonCodec);
    auto c = centre_calls_.find(op.caller);
    if (c != centre_calls_.end()) c->second->operator_leg = 0;
    if (port_) port_.load()->OperatorRingFailed(op.caller, "bad_sdp", Now());
    return;
  }
  op.answered = true;
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
SipAnswer TelephonyServer::OperatorReinvite(OperatorLeg& op, const std::string& content_type,
                                            const std::string& body) {
  if (!op.answered || op.withdrawn) {
    return SipAnswer::Reject(491, "Request Pending", CallEndReason::kError);
  }
  if (body.empty()) {  // a refresh without an offer: our current description is the offer
    SipAnswer same;
    same.sdp = op.local_sdp;
    return same;
  }
  OfferCheck offer = CheckOffer(content_type, body);
  if (offer.error) return *offer.error;  // the bridge goes on as it was
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

void TelephonyServer::OperatorLegEnded(LegId leg, CallEndReason reason, int status) {
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

void TelephonyServer::StartBridge(uint64_t call, BoundRtpSocket socket, const sockaddr_in& remote,
                                  const NegotiatedAudio& audio, const std::string& case_number) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end() || bridges_.count(call) > 0) {
    ports_.Release(socket);  // the caller is already gone
    return;
  }
  std::unique_ptr<CallRecorder> recorder;
  // A transferred call is recorded once per operator: _2, _3, ... after the first.
  std::string path = RecordingPath(config_.recordings_dir, case_number, m->second.call_id);
  std::error_code exists_error;
  for (int part = 2; std::filesystem::exists(path, exists_error) && part < 100; ++part) {
    path = RecordingPath(config_.recordings_dir, case_number,
                         m->second.call_id + "_" + std::to_string(part));
  }
  auto opened = CallRecorder::Open(path);
  if (opened.ok()) {
    recorder = std::move(*opened);
  } else {
    spdlog::error("call {}: {}", m->second.call_id, opened.status().ToString());
  }
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto bridge = std::make_unique<MediaBridge>(
      RtpSession(socket.fd, static_cast<uint32_t>(rng()), remote, audio), std::move(recorder));
  MediaBridge* raw = bridge.get();
  Status st = media_.Watch(socket.fd, [raw] { raw->OnOperatorReadable(); });
  if (!st.ok()) spdlog::error("call {}: {}", m->second.call_id, st.ToString());
  bridges_[call] = BridgeEntry{std::move(bridge), socket, 0, Now(), false};
  m->second.call->SetBridge(raw);
}

void TelephonyServer::EndBridge(uint64_t call) {
  auto b = bridges_.find(call);
  if (b == bridges_.end()) return;
  BridgeEntry entry = std::move(b->second);
  bridges_.erase(b);
  auto m = media_calls_.find(call);
  uint64_t caller_lost = 0;
  if (m != media_calls_.end()) {
    m->second.call->SetBridge(nullptr);
    caller_lost = m->second.call->packets_lost();
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
  if (port_) port_.load()->RecordingSaved(call, path, *length);
}

}  // namespace gosline::telephony
