#include "telephony/telephony_server.h"

#include <filesystem>
#include <random>

#include <spdlog/spdlog.h>

#include "core/cases/phone.h"
#include "telephony/offer_check.h"
#include "telephony/operator_passwords.h"
#include "telephony/sdp_answer.h"

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

const char* const kDigitWords[] = {"ноль", "один", "два", "три", "четыре",
                                   "пять", "шесть", "семь", "восемь", "девять"};

// Queue announcements and the callback confirmation, unless the
// configuration words them itself.
void AddQueuePrompts(std::vector<PromptSpec>& prompts, const std::string& lang, char callback_key) {
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
  // Played on entry while a corrective action offers the callback (R13).
  if (callback_key != '\0') {
    const std::string key(1, callback_key);
    add("gosline.queue.callback_offer",
        "Чтобы не ждать, нажмите " + key + ", и оператор перезвонит вам.");
  }
  for (int d = 0; d < 10; ++d) add("gosline.digit." + std::to_string(d), kDigitWords[d]);
}

}  // namespace

struct TelephonyServer::SipCall {
  CallRecord record;
  std::string caller_e164;
  BoundRtpSocket socket;
  NegotiatedAudio audio;
  sockaddr_in remote{};
  uint64_t sdp_session = 0;
  uint64_t sdp_version = 0;
  std::string answer_sdp;
  // Late offer (INVITE without SDP): our offer went in the 200 and the ACK
  // brings the caller's answer.
  bool awaiting_answer = false;
  // Media starts on the ACK, never on the 200 alone (see OnAck).
  bool media_started = false;
  // Where the INVITE came from, and the admission that counts this call
  // against that address's share of calls at once (R25) until it ends.
  std::string source;
  CallAdmission* counted_by = nullptr;
  // The numbers, IVR and prompts current when the INVITE came: the call
  // keeps them through any configuration change.
  std::shared_ptr<const CallSetup> setup;
  // The SRTP policy of the dialled number and the INVITE's transport (R22),
  // and our crypto line when we made the offer (late offer).
  SrtpPolicy srtp;
  std::optional<SdpCrypto> offered_crypto;
};

namespace {

SrtpMode ModeFor(const TelephonyConfig& config, const std::string& dialled) {
  auto it = config.srtp_numbers.find(dialled);
  return it == config.srtp_numbers.end() ? config.srtp : it->second;
}

// A re-offer on an encrypted leg must stay encrypted: no downgrade to clear
// audio in the middle of a call.
SrtpPolicy ReofferPolicy(SrtpPolicy policy, const NegotiatedAudio& current) {
  if (current.srtp) policy.mode = SrtpMode::kRequired;
  return policy;
}

}  // namespace

TelephonyServer::TelephonyServer(TelephonyConfig config, TelephonyServerDeps deps,
                                 const Clock& clock)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      clock_(clock),
      ports_(config_.rtp_address, config_.rtp_port_min, config_.rtp_port_max,
             config_.operator_port_share),
      media_(config_.media_overload_share),
      sip_(EndpointOptions(config_), *this),
      operators_(config_, sip_, media_, ports_, *this) {
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
  AddQueuePrompts(config_.prompts, config_.queue_prompt_language, config_.callback_key);
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
  if (deps_.recognizers != nullptr && !recognition_) {
    recognition_ = std::make_unique<RecognitionWorkers>(
        *deps_.recognizers, deps_.recognition_workers, deps_.recognition_queue);
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
  // Recognition first: its answers are posted to the media loop, which must
  // still run them (or drop them) when the workers are joined.
  if (recognition_) recognition_->Stop();
  sip_.Stop();    // BYE to every call; OnEnded posts each media teardown
  media_.Stop();  // runs those teardowns
  for (auto& [id, entry] : media_calls_) entry.call->OnHangup(Now());
  media_calls_.clear();
  operators_.Clear();
}

Status TelephonyServer::UpdateCallSetup(const std::vector<std::string>& numbers,
                                        std::function<std::unique_ptr<CallFlow>()> make_flow,
                                        std::vector<PromptSpec> prompts) {
  if (!setup_.Current()) return Status::FailedPrecondition("telephony server not started");
  // Synthesised on this (the caller's) thread before anything changes: a
  // prompt that cannot be made leaves every call as it was.
  AddQueuePrompts(prompts, config_.queue_prompt_language, config_.callback_key);
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const PromptLibrary> library,
      PromptLibrary::Load(prompts, config_.prompt_cache_dir));
  if (!make_flow) make_flow = GreetingFlow();
  setup_.Replace(std::make_shared<const CallSetup>(
      CallSetup{DialledNumbers(numbers), std::move(make_flow), library}));
  return Status::Ok();
}

bool TelephonyServer::LoopsAnswered() {
  const uint64_t posted = beat_posted_.load();
  const bool answered = sip_beat_.load() == posted && media_beat_.load() == posted;
  const uint64_t next = posted + 1;
  beat_posted_.store(next);
  sip_.Post([this, next] { sip_beat_.store(next); });
  media_.Post([this, next] { media_beat_.store(next); });
  return answered;
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
  c.srtp = SrtpPolicy{ModeFor(config_, invite.dialled_user), invite.secure_transport,
                      config_.srtp_over_udp};
  OfferCheck offer;
  if (late_offer) {
    offer.audio.telephone_event_pt = 101;  // our offer: PCMA/8000 and telephone-event
    // Required: our offer is SRTP, which needs keys we may send (TLS).
    if (c.srtp.mode == SrtpMode::kRequired) {
      if (!c.srtp.signalling_secure && !c.srtp.allow_insecure_signalling) {
        SipAnswer refused = SipAnswer::Reject(
            488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
            "this number requires encrypted audio, whose keys need SIP over TLS");
        refused.reason = refused.warning;
        return refused;
      }
      c.offered_crypto = OfferSrtpCrypto();
      offer.audio.srtp = SrtpKeys{c.offered_crypto->suite, c.offered_crypto->tag,
                                  c.offered_crypto->key, {}};
    }
  } else {
    offer = CheckOffer(invite.content_type, invite.body, c.srtp);
    if (offer.error) return *offer.error;
  }

  Result<BoundRtpSocket> socket = ports_.AcquireForCaller();
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
  if (CallAdmission* admission = admission_.load()) {
    c.source = invite.source;
    c.counted_by = admission;
    admission->CallStarted(c.source);
  }
  c.answer_sdp = RenderSdpAnswer({config_.rtp_address, c.socket.port, c.sdp_session, c.sdp_version},
                                 c.audio);
  ++active_calls_;
  SipAnswer ok;
  ok.sdp = c.answer_sdp;
  return ok;
}

SipAnswer TelephonyServer::OnReinvite(LegId leg, const std::string& content_type,
                                      const std::string& body) {
  if (std::optional<SipAnswer> answer = operators_.OnReinvite(leg, content_type, body)) {
    return *answer;
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
  OfferCheck offer = CheckOffer(content_type, body, ReofferPolicy(c.srtp, c.audio), c.audio.srtp);
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
  it->second->record.answered = Now();  // the 200 went; media waits for the ACK
}

// R25: no media before the ACK. The 200 goes where the INVITE came from, but
// the SDP may name any address: sending audio on the 200 alone would let a
// forged INVITE aim our RTP at a third party (reflection). Only a peer that
// received our 200 can ACK it (it needs our To tag), so the ACK proves the
// SDP came from the party we are talking to.
void TelephonyServer::OnAck(LegId leg, const std::string& content_type,
                            const std::string& body) {
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end() || it->second->media_started || it->second->socket.fd < 0) return;
  SipCall& c = *it->second;
  if (c.awaiting_answer) {
    OfferCheck answer = CheckAnswer(content_type, body, c.offered_crypto);
    if (answer.error) {
      spdlog::info("call {}: late offer not answered in the ACK: {}", c.record.call_id,
                   answer.error->warning);
      sip_.Hangup(leg, answer.error->reject_reason);
      return;
    }
    c.audio = answer.audio;
    c.remote = answer.remote;
    c.awaiting_answer = false;
  }
  StartMedia(c, leg);
}

void TelephonyServer::StartMedia(SipCall& c, LegId leg) {
  c.media_started = true;
  if (!c.record.answered) c.record.answered = Now();
  static thread_local std::mt19937 rng{std::random_device{}()};
  CallInfo info{c.record.call_id, c.record.dialled, c.caller_e164,
                c.record.region_code.value_or("")};
  MediaCall::Limits limits{config_.media_timeout, config_.max_call_duration,
                           config_.inband_dtmf_fallback};
  RtpSession rtp(c.socket.fd, static_cast<uint32_t>(rng()), c.remote, c.audio);
  if (c.audio.srtp) {
    spdlog::info("call {}: encrypted audio (SRTP {})", c.record.call_id,
                 SrtpSuiteName(c.audio.srtp->suite));
  }
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

void TelephonyServer::OnDigit(LegId leg, char digit) {
  media_.Post([this, leg, digit] {
    auto m = media_calls_.find(leg);
    if (m != media_calls_.end()) m->second.call->OnDigit(digit, DigitSource::kSipInfo, Now());
  });
}

void TelephonyServer::OnEnded(LegId leg, CallEndReason reason, int status) {
  if (operators_.OnLegEnded(leg, reason, status)) return;  // an operator's leg
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
  if (c->counted_by != nullptr) c->counted_by->CallFinished(c->source);
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
  operators_.EndBridge(call);
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
  operators_.CheckOperatorMedia(Now());
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

void TelephonyServer::Hangup(uint64_t call, CallEndReason reason) {
  sip_.Post([this, call, reason] { sip_.Hangup(call, reason); });
}

void TelephonyServer::LookupCase(uint64_t call, uint64_t request_id, const std::string& number,
                                 const std::string& phone_last4) {
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
  deps_.case_lookup->Lookup(number, phone_last4, deliver);
}

bool TelephonyServer::CanRecognize(const std::string& language) const {
  return recognition_ != nullptr && recognition_->Supports(language);
}

void TelephonyServer::Recognize(uint64_t call, uint64_t listen_id, RecognitionTurn turn,
                                std::vector<int16_t> audio) {
  if (!recognition_) return;
  recognition_->Submit(std::move(turn), std::move(audio),
                       [this, call, listen_id](RecognitionHypothesis result) {
                         media_.Post([this, call, listen_id, result = std::move(result)] {
                           auto m = media_calls_.find(call);
                           if (m != media_calls_.end()) {
                             m->second.call->OnSpeechResult(listen_id, result, Now());
                           }
                         });
                       });
}

void TelephonyServer::EnteredQueue(uint64_t call, const EnterQueueAction& queue) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end()) return;
  spdlog::info("call {}: queued in '{}' (topic '{}')", m->second.call_id, queue.queue_id,
               queue.topic);
  if (deps_.observer) deps_.observer->OnEnteredQueue(m->second.call_id, queue);
  if (!operators_.has_call_centre()) return;
  contact_centre::WaitingCall w;
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
    operators_.CallerQueued(std::move(w));
  });
}

void TelephonyServer::DigitReceived(uint64_t call, char digit, DigitSource source) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end()) return;
  if (deps_.observer) deps_.observer->OnDigit(m->second.call_id, digit, source);
  if (!operators_.has_call_centre() || config_.callback_key == '\0' ||
      digit != config_.callback_key || !m->second.call->waiting()) {
    return;
  }
  // Callback instead of waiting: the centre stores the request; the caller
  // hears the confirmation and the call ends.
  m->second.call->PlayThenHangup({"gosline.queue.callback_confirmed"});
  sip_.Post([this, call] { operators_.CallbackRequested(call); });
}

// --------------------------------------------------- contact centre

std::vector<std::string> TelephonyServer::AnnouncementKeys(
    const contact_centre::WaitAnnouncement& a) const {
  auto number = [](std::vector<std::string>& keys, size_t n) {
    for (char c : std::to_string(n)) keys.push_back(std::string("gosline.digit.") + c);
  };
  // The corrective actions' prompts first (high load, callback offer: R13).
  std::vector<std::string> keys = a.prompts;
  keys.push_back("gosline.queue.position");
  number(keys, std::max<size_t>(a.position, 1));
  if (a.estimated_wait) {
    const auto minutes = std::chrono::ceil<std::chrono::minutes>(*a.estimated_wait).count();
    keys.push_back("gosline.queue.wait");
    number(keys, static_cast<size_t>(std::clamp<long>(minutes, 1, 999)));
  }
  return keys;
}

void TelephonyServer::Announce(const contact_centre::WaitAnnouncement& a) {
  if (!a.prompts.empty()) {
    std::string names;
    for (const std::string& p : a.prompts) names += (names.empty() ? "" : ", ") + p;
    spdlog::info("call leg {}: corrective prompts on entry: {}", a.call, names);
  }
  std::vector<std::string> keys = AnnouncementKeys(a);
  media_.Post([this, call = a.call, keys = std::move(keys)]() mutable {
    auto m = media_calls_.find(call);
    if (m != media_calls_.end()) m->second.call->Announce(std::move(keys));
  });
}

void TelephonyServer::RingOperator(const contact_centre::OperatorRing& ring) {
  operators_.RingOperator(ring);
}

void TelephonyServer::CancelRing(contact_centre::CallId call) { operators_.CancelRing(call); }

void TelephonyServer::ReleaseOperator(contact_centre::CallId call) {
  operators_.ReleaseOperator(call);
}

void TelephonyServer::Hangup(contact_centre::CallId call, std::string reason) {
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

void TelephonyServer::OnDialAnswered(LegId leg, const std::string& content_type,
                                     const std::string& sdp) {
  operators_.OnDialAnswered(leg, content_type, sdp);
}

// ------------------------------------------------ OperatorBridge::Host

std::optional<std::string> TelephonyServer::CallerNumber(uint64_t call) const {
  auto caller = sip_calls_.find(call);
  if (caller == sip_calls_.end()) return std::nullopt;
  // The operator's phone shows the caller's number (E.164 when we know it).
  return caller->second->caller_e164.empty() ? caller->second->record.from
                                             : caller->second->caller_e164;
}

MediaCall* TelephonyServer::CallerMedia(uint64_t call, std::string* call_id) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end()) return nullptr;
  *call_id = m->second.call_id;
  return m->second.call.get();
}

std::optional<std::string> TelephonyServer::RegisteredContact(const std::string& id) const {
  return OperatorContact(id);
}

}  // namespace gosline::telephony
