#include "telephony/telephony_server.h"

#include <arpa/inet.h>
#include <strings.h>

#include <random>

#include <spdlog/spdlog.h>

#include "core/cases/phone.h"
#include "telephony/sdp_answer.h"
#include "telephony/sdp_offer.h"

namespace gosline::telephony {
namespace {

Time Now() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

SipEndpointOptions EndpointOptions(const TelephonyConfig& c) {
  SipEndpointOptions o;
  o.address = c.sip_address;
  o.port = c.sip_port;
  o.transports = c.sip_transports;
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
};

TelephonyServer::TelephonyServer(TelephonyConfig config, TelephonyServerDeps deps)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      numbers_(config_.numbers),
      ports_(config_.rtp_address, config_.rtp_port_min, config_.rtp_port_max),
      media_(config_.media_overload_share),
      sip_(EndpointOptions(config_), *this) {
  if (!deps_.make_flow) {
    const std::string greeting = config_.greeting_prompt;
    deps_.make_flow = [greeting] { return std::make_unique<GreetingCallFlow>(greeting); };
  }
}

TelephonyServer::~TelephonyServer() { Stop(); }

Status TelephonyServer::Start() {
  if (started_) return Status::FailedPrecondition("telephony server already started");
  if (deps_.records == nullptr) return Status::InvalidArgument("no call record sink");
  if (config_.rtp_port_min > config_.rtp_port_max) {
    return Status::InvalidArgument("rtp_port_min is above rtp_port_max", "rtp_port_min");
  }
  Result<std::shared_ptr<const PromptLibrary>> prompts =
      PromptLibrary::Load(config_.prompts, config_.prompt_cache_dir);
  if (!prompts.ok()) return prompts.status();
  prompts_ = *prompts;
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

  if (!numbers_.Contains(invite.dialled_user)) {
    return SipAnswer::Reject(404, "Not Found", CallEndReason::kNotFound,
                             "number not served here");
  }
  const bool full = active_calls_.load() >= config_.max_calls;
  if (full || media_.overloaded()) {
    ++refused_;
    SipAnswer busy = SipAnswer::Reject(503, "Service Unavailable", CallEndReason::kOverloaded,
                                       full ? "too many calls" : "media loop overloaded");
    busy.retry_after_s = config_.retry_after_s;
    return busy;
  }
  OfferCheck offer = CheckOffer(invite.content_type, invite.body);
  if (offer.error) return *offer.error;

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
  c.answer_sdp = RenderSdpAnswer({config_.rtp_address, c.socket.port, c.sdp_session, c.sdp_version},
                                 c.audio);
  ++active_calls_;
  SipAnswer ok;
  ok.sdp = c.answer_sdp;
  return ok;
}

SipAnswer TelephonyServer::OnReinvite(LegId leg, const std::string& content_type,
                                      const std::string& body) {
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
  c.record.answered = Now();
  static thread_local std::mt19937 rng{std::random_device{}()};
  CallInfo info{c.record.call_id, c.record.dialled, c.caller_e164,
                c.record.region_code.value_or("")};
  MediaCall::Limits limits{config_.media_timeout, config_.max_call_duration,
                           config_.inband_dtmf_fallback};
  RtpSession rtp(c.socket.fd, static_cast<uint32_t>(rng()), c.remote, c.audio);
  media_.Post([this, leg, rtp, info, limits, fd = c.socket.fd]() mutable {
    MediaCall::Outbox& outbox = *this;
    auto call = std::make_unique<MediaCall>(leg, std::move(rtp), deps_.make_flow(), prompts_,
                                            outbox, limits);
    MediaCall* raw = call.get();
    media_calls_[leg] = MediaEntry{std::move(call), info.call_id};
    Status st = media_.Watch(fd, [raw] { raw->OnReadable(Now()); });
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
  auto it = sip_calls_.find(leg);
  if (it == sip_calls_.end()) return;
  std::unique_ptr<SipCall> c = std::move(it->second);
  sip_calls_.erase(it);
  c->record.ended = Now();
  c->record.end_reason = reason;
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
}

void TelephonyServer::DigitReceived(uint64_t call, char digit, DigitSource source) {
  auto m = media_calls_.find(call);
  if (m == media_calls_.end() || deps_.observer == nullptr) return;
  deps_.observer->OnDigit(m->second.call_id, digit, source);
}

}  // namespace gosline::telephony
