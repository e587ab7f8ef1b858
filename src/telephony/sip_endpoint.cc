#include "telephony/sip_endpoint.h"

#include "core/common/thread_annotations.h"
#include "telephony/dtmf_relay.h"

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/url.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <strings.h>

#include <cctype>
#include <deque>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace gosline::telephony {
namespace {

std::string UserOf(const url_t* url) { return url && url->url_user ? url->url_user : ""; }

}  // namespace

// One call leg; its address is the nua handle's magic.
struct Leg {
  SipEndpoint::Impl* owner = nullptr;
  LegId id = 0;
  nua_handle_t* nh = nullptr;
  bool answered = false;
  bool ended = false;
  int final_status = 0;
  std::optional<CallEndReason> reason;
  std::string answer_sdp;   // the 200 OK body, sent after ringing
  bool caller_has_timer = false;  // RFC 4028 support: only then do we use session timers
  su_timer_t* ring_timer = nullptr;  // outgoing legs: the no-response limit
  bool outbound = false;             // we sent the INVITE (a call to an operator)
  bool got_response = false;
  // Our Contact for this dialog, on the transport the caller used; empty:
  // nua's own. Needed with TLS on: nua would offer its sips: contact to a
  // UDP caller, who then cannot send the ACK (or BYE) back.
  std::string contact;
};

struct SipEndpoint::Impl {
  SipEndpointOptions options;
  Handler& handler;
  // root, nua, shutting_down, the drain fields, next_leg, legs: owned by the SIP thread (made
  // and destroyed in Run, touched from its callbacks and posted tasks); mu
  // guards the wake-up descriptor and the task queue; running is atomic.
  su_root_t* root = nullptr;
  nua_t* nua = nullptr;
  LoopThreadOwner owner;
  Mutex mu;
  int wake_fd GOSLINE_GUARDED_BY(mu) = -1;
  std::deque<std::function<void()>> tasks GOSLINE_GUARDED_BY(mu);
  std::atomic<bool> running{false};
  bool shutting_down = false;
  // Set by BeginDrain: new calls and health probes are refused from then on.
  std::optional<int> drain_retry_after_s;
  std::string drain_reason;  // the Reason header's text
  LegId next_leg = 1;
  std::unordered_map<LegId, std::unique_ptr<Leg>> legs;

  Impl(SipEndpointOptions o, Handler& h) : options(std::move(o)), handler(h) {}

  static void Callback(nua_event_t event, int status, char const* phrase, nua_t*,
                       nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic,
                       sip_t const* sip, tagi_t tags[]) {
    static_cast<Impl*>(static_cast<void*>(magic))
        ->OnEvent(event, status, phrase, nh, static_cast<Leg*>(static_cast<void*>(hmagic)), sip,
                  tags);
  }

  static int OnWake(su_root_magic_t*, su_wait_t*, su_wakeup_arg_t* arg) {
    static_cast<Impl*>(static_cast<void*>(arg))->RunTasks();
    return 0;
  }

  void RunTasks() GOSLINE_EXCLUDES(mu) {
    std::deque<std::function<void()>> batch;
    {
      MutexLock lock(mu);
      uint64_t n;
      if (wake_fd >= 0) {
        [[maybe_unused]] ssize_t r = read(wake_fd, &n, sizeof n);
      }
      batch.swap(tasks);
    }
    for (auto& t : batch) t();
  }

  void OnEvent(nua_event_t event, int status, char const* phrase, nua_handle_t* nh, Leg* leg,
               sip_t const* sip, tagi_t tags[]) {
    switch (event) {
      case nua_i_invite:
        if (leg == nullptr) {
          OnInitialInvite(nh, sip);
        } else {
          OnReinvite(leg, sip);
        }
        break;
      case nua_r_invite:
        if (leg && leg->outbound) OnDialResponse(leg, status, sip);
        break;
      case nua_i_register:
        OnRegister(nh, sip);
        break;
      case nua_i_options:
        // Ours to answer only while draining (BeginDrain makes OPTIONS an
        // application method); before that nua answered 200 itself.
        if (status < 200) {
          OnOptionsWhileDraining(nh, leg);
        } else if (leg == nullptr && nh != nullptr && nh != nua_default(nua)) {
          nua_handle_destroy(nh);
        }
        break;
      case nua_i_cancel:
        if (leg) leg->reason = CallEndReason::kCancelled;
        break;
      case nua_i_bye:
        if (leg && !leg->reason) leg->reason = CallEndReason::kCallerHangup;
        break;
      case nua_i_info:
        if (leg && sip) OnInfo(leg, sip);
        break;
      case nua_i_ack:
        if (leg && sip && !leg->outbound) {
          std::string ct, body;
          if (sip->sip_content_type && sip->sip_content_type->c_type) ct = sip->sip_content_type->c_type;
          if (sip->sip_payload && sip->sip_payload->pl_data) {
            body.assign(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
          }
          handler.OnAck(leg->id, ct, body);
        }
        break;
      case nua_i_state:
        if (leg) OnState(leg, status, tags);
        break;
      case nua_r_shutdown:
        if (status >= 200) su_root_break(root);
        break;
      case nua_i_error:
        spdlog::warn("sip: error {} {}", status, phrase ? phrase : "");
        break;
      default:
        // Requests outside a call (OPTIONS, stray BYE, ...) are answered by nua
        // itself; a handle it created for them has no leg and is released here.
        if (leg == nullptr && nh != nullptr && nh != nua_default(nua) && IsIncomingRequest(event)) {
          nua_handle_destroy(nh);
        }
        break;
    }
  }

  static bool IsIncomingRequest(nua_event_t e) {
    switch (e) {
      case nua_i_options: case nua_i_message: case nua_i_method: case nua_i_subscribe:
      case nua_i_refer: case nua_i_publish: case nua_i_notify: case nua_i_register:
      case nua_i_info: case nua_i_update: case nua_i_bye: case nua_i_chat:
        return true;
      default:
        return false;
    }
  }

  void OnInitialInvite(nua_handle_t* nh, sip_t const* sip) {
    if (drain_retry_after_s && !shutting_down) {
      RespondDraining(nh);
      nua_handle_destroy(nh);
      return;
    }
    if (shutting_down || sip == nullptr || sip->sip_request == nullptr) {
      nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, SIPTAG_RETRY_AFTER_STR("5"), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    auto owned = std::make_unique<Leg>();
    Leg* leg = owned.get();
    leg->owner = this;
    leg->id = next_leg++;
    leg->nh = nh;
    nua_handle_bind(nh, static_cast<nua_hmagic_t*>(static_cast<void*>(leg)));
    legs.emplace(leg->id, std::move(owned));

    InviteRequest req;
    req.leg = leg->id;
    req.call_id = sip->sip_call_id && sip->sip_call_id->i_id ? sip->sip_call_id->i_id : "";
    req.from_user = sip->sip_from ? UserOf(sip->sip_from->a_url) : "";
    req.dialled_user = UserOf(sip->sip_request->rq_url);
    if (sip->sip_via) {
      const char* src = sip->sip_via->v_received ? sip->sip_via->v_received : sip->sip_via->v_host;
      if (src) req.source = src;
      const std::string_view protocol = sip->sip_via->v_protocol ? sip->sip_via->v_protocol : "";
      req.secure_transport = protocol.ends_with("TLS") || protocol.ends_with("tls");
    }
    if (sip->sip_content_type && sip->sip_content_type->c_type) {
      req.content_type = sip->sip_content_type->c_type;
    }
    if (sip->sip_payload && sip->sip_payload->pl_data) {
      req.body.assign(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    }

    leg->contact = ContactFor(sip);
    leg->caller_has_timer = sip->sip_session_expires != nullptr ||
                            sip_has_feature(sip->sip_supported, "timer");
    SipAnswer answer = handler.OnInvite(req);
    if (answer.status >= 300) {
      Reject(leg, answer);
      Finish(leg, answer.reject_reason, answer.status);
      return;
    }
    leg->answer_sdp = std::move(answer.sdp);
    // A caller without timer support would make us the refresher (RFC 4028
    // 9); we never send offers, so such calls rely on the media timeout.
    if (!leg->caller_has_timer) nua_set_hparams(nh, NUTAG_SESSION_TIMER(0), TAG_END());
    nua_respond(nh, SIP_180_RINGING,
                TAG_IF(!leg->contact.empty(), SIPTAG_CONTACT_STR(leg->contact.c_str())), TAG_END());
    if (options.ring_time.count() > 0) {
      leg->ring_timer = su_timer_create(su_root_task(root), 0);
      su_timer_set_interval(leg->ring_timer, &Impl::OnRingTimer,
                            static_cast<su_timer_arg_t*>(static_cast<void*>(leg)),
                            static_cast<su_duration_t>(options.ring_time.count()));
    } else {
      Answer(leg);
    }
  }

  static void OnRingTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    Leg* leg = static_cast<Leg*>(static_cast<void*>(arg));
    if (!leg->ended && !leg->reason && !leg->answered) leg->owner->Answer(leg);
  }

  void Answer(Leg* leg) {
    leg->answered = true;
    leg->final_status = 200;
    nua_respond(leg->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(leg->answer_sdp.c_str()),
                TAG_IF(!leg->contact.empty(), SIPTAG_CONTACT_STR(leg->contact.c_str())), TAG_END());
    handler.OnAnswered(leg->id);
  }

  void Reject(Leg* leg, const SipAnswer& a) {
    leg->final_status = a.status;
    leg->reason = a.reject_reason;
    const std::string retry = a.retry_after_s ? std::to_string(*a.retry_after_s) : "";
    const std::string warning =
        a.warning.empty() ? "" : "399 gosline \"" + SanitizeQuoted(a.warning) + "\"";
    const std::string reason = a.reason.empty() ? "" : ReasonHeader(a.status, a.reason);
    nua_respond(leg->nh, a.status, StaticPhrase(a.status),
                TAG_IF(!retry.empty(), SIPTAG_RETRY_AFTER_STR(retry.c_str())),
                TAG_IF(!reason.empty(), SIPTAG_REASON_STR(reason.c_str())),
                TAG_IF(!warning.empty(), SIPTAG_WARNING_STR(warning.c_str())), TAG_END());
  }

  static std::string ReasonHeader(int status, const std::string& text) {
    return "SIP;cause=" + std::to_string(status) + ";text=\"" + SanitizeQuoted(text) + "\"";
  }

  // nua_respond() keeps the phrase pointer until the response is sent (tags
  // are copied, the phrase is not), so it must be a static string.
  static const char* StaticPhrase(int status) {
    const char* p = sip_status_phrase(status);
    return p ? p : "Error";
  }

  static std::string SanitizeQuoted(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\' || c == '\r' || c == '\n') continue;
      out += c;
    }
    return out;
  }

  // With SIP over TLS configured, the Contact matching the transport of the
  // caller's INVITE (the Via's protocol); without TLS, nua's contact is right.
  std::string ContactFor(sip_t const* sip) const {
    if (options.tls_port == 0 || sip->sip_via == nullptr || sip->sip_via->v_protocol == nullptr) {
      return {};
    }
    const std::string protocol = sip->sip_via->v_protocol;  // "SIP/2.0/UDP"
    const char* host = sip->sip_request->rq_url->url_host;
    const std::string address = host != nullptr && *host != '\0' ? host : options.address;
    if (protocol.ends_with("TLS")) {
      // A sips: Request-URI asks for a sips: Contact (RFC 3261 8.1.1.8);
      // otherwise sip: with transport=tls, which every TLS phone can reach
      // (baresip's stack cannot send its ACK to a sips: URI).
      if (sip->sip_request->rq_url->url_type == url_sips) {
        return "<sips:" + address + ":" + std::to_string(options.tls_port) + ">";
      }
      return "<sip:" + address + ":" + std::to_string(options.tls_port) + ";transport=tls>";
    }
    const bool tcp = protocol.ends_with("TCP");
    return "<sip:" + address + ":" + std::to_string(options.port) + (tcp ? ";transport=tcp>" : ">");
  }

  void OnReinvite(Leg* leg, sip_t const* sip) {
    std::string ct, body;
    if (sip && sip->sip_content_type && sip->sip_content_type->c_type) {
      ct = sip->sip_content_type->c_type;
    }
    if (sip && sip->sip_payload && sip->sip_payload->pl_data) {
      body.assign(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    }
    SipAnswer a = handler.OnReinvite(leg->id, ct, body);
    if (a.status >= 300) {
      const std::string warning =
          a.warning.empty() ? "" : "399 gosline \"" + SanitizeQuoted(a.warning) + "\"";
      const std::string reason = a.reason.empty() ? "" : ReasonHeader(a.status, a.reason);
      nua_respond(leg->nh, a.status, StaticPhrase(a.status),
                  TAG_IF(!reason.empty(), SIPTAG_REASON_STR(reason.c_str())),
                  TAG_IF(!warning.empty(), SIPTAG_WARNING_STR(warning.c_str())), TAG_END());
      return;
    }
    nua_respond(leg->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(a.sdp.c_str()),
                TAG_IF(!leg->contact.empty(), SIPTAG_CONTACT_STR(leg->contact.c_str())), TAG_END());
  }

  // 503 with Retry-After, a Reason (RFC 3326) and a Warning saying why: the
  // front takes the node out of its set and callers try another one.
  void RespondDraining(nua_handle_t* nh) {
    const std::string retry = std::to_string(drain_retry_after_s.value_or(0));
    const std::string text = SanitizeQuoted(drain_reason);
    const std::string reason = "SIP;cause=503;text=\"" + text + "\"";
    const std::string warning = "399 gosline \"" + text + "\"";
    nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_CURRENT(nua),
                SIPTAG_RETRY_AFTER_STR(retry.c_str()), SIPTAG_REASON_STR(reason.c_str()),
                SIPTAG_WARNING_STR(warning.c_str()), TAG_END());
  }

  // Inside a call the dialog goes on (200: a keep-alive must not end it);
  // outside one it is a health probe, refused while draining.
  void OnOptionsWhileDraining(nua_handle_t* nh, Leg* leg) {
    if (leg != nullptr) {
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_CURRENT(nua), TAG_END());
      return;
    }
    RespondDraining(nh);
    if (nh != nua_default(nua)) nua_handle_destroy(nh);
  }

  void BeginDrain(int retry_after_s, std::string why) {
    if (drain_retry_after_s || nua == nullptr) return;
    drain_retry_after_s = retry_after_s;
    drain_reason = std::move(why);
    nua_set_params(nua, NUTAG_APPL_METHOD("REGISTER, OPTIONS"), TAG_END());
    spdlog::info("sip: draining: new calls and health probes answer 503 ({})", drain_reason);
  }

  void OnInfo(Leg* leg, sip_t const* sip);  // dtmf_relay glue, below
  void OnRegister(nua_handle_t* nh, sip_t const* sip);
  void OnDialResponse(Leg* leg, int status, sip_t const* sip);
  static void OnNoResponse(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg);
  LegId Dial(const DialRequest& request);

  void OnState(Leg* leg, int status, tagi_t tags[]) {
    int state = nua_callstate_init;
    tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
    if (state != nua_callstate_terminated || leg->ended) return;
    CallEndReason reason = leg->reason.value_or(CallEndReason::kError);
    if (!leg->reason && status == 408) reason = CallEndReason::kMediaTimeout;
    int final_status = leg->final_status;
    if (leg->reason == CallEndReason::kCancelled && !leg->answered) final_status = 487;
    Finish(leg, reason, final_status);
  }

  // Forgets the leg and tells the handler; the handle is released (nua keeps
  // the transaction alive for retransmissions on its own).
  void Finish(Leg* leg, CallEndReason reason, int final_status) {
    leg->ended = true;
    if (leg->ring_timer) {
      su_timer_destroy(leg->ring_timer);
      leg->ring_timer = nullptr;
    }
    const LegId id = leg->id;
    nua_handle_t* nh = leg->nh;
    legs.erase(id);
    nua_handle_bind(nh, nullptr);
    nua_handle_destroy(nh);
    handler.OnEnded(id, reason, final_status);
  }

  void Hangup(LegId id, CallEndReason reason) {
    if (nua == nullptr) return;  // the stack is gone: Stop reports the legs left
    auto it = legs.find(id);
    if (it == legs.end() || it->second->ended) return;
    Leg* leg = it->second.get();
    if (!leg->reason) leg->reason = reason;
    if (leg->answered) {
      nua_bye(leg->nh, TAG_END());
    } else if (leg->outbound) {
      nua_cancel(leg->nh, TAG_END());
    } else {
      leg->final_status = 480;
      nua_respond(leg->nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
    }
  }
};

void SipEndpoint::Impl::OnRegister(nua_handle_t* nh, sip_t const* sip) {
  if (sip == nullptr || sip->sip_to == nullptr) {
    nua_respond(nh, SIP_400_BAD_REQUEST, NUTAG_WITH_CURRENT(nua), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  RegisterRequest req;
  req.aor_user = UserOf(sip->sip_to->a_url);
  if (sip->sip_request) {
    if (char* uri = url_as_string(nua_handle_home(nh), sip->sip_request->rq_url)) req.request_uri = uri;
  }
  for (sip_authorization_t const* au = sip->sip_authorization; au; au = au->au_next) {
    if (au->au_scheme == nullptr || strcasecmp(au->au_scheme, "Digest") != 0) continue;
    DigestParams params;
    for (msg_param_t const* p = au->au_params; p && *p; ++p) params.emplace_back(*p);
    req.digest = std::move(params);
    break;
  }
  if (sip->sip_contact) {
    if (sip->sip_contact->m_url->url_type == url_any) {
      req.contact = "*";
    } else if (char* c = url_as_string(nua_handle_home(nh), sip->sip_contact->m_url)) {
      req.contact = c;
    }
    if (sip->sip_contact->m_expires) req.expires = static_cast<unsigned>(strtoul(sip->sip_contact->m_expires, nullptr, 10));
  }
  if (!req.expires && sip->sip_expires) req.expires = static_cast<unsigned>(sip->sip_expires->ex_delta);
  RegisterReply r = handler.OnRegister(req);
  const std::string contact =
      r.contact.empty() ? "" : "<" + r.contact + ">;expires=" + std::to_string(r.expires);
  // A REGISTER response must name the request (NUTAG_WITH_CURRENT): nua keeps
  // no server state for it on the handle, and answers 500 otherwise.
  nua_respond(nh, r.status, StaticPhrase(r.status), NUTAG_WITH_CURRENT(nua),
              TAG_IF(!r.www_authenticate.empty(), SIPTAG_WWW_AUTHENTICATE_STR(r.www_authenticate.c_str())),
              TAG_IF(!contact.empty(), SIPTAG_CONTACT_STR(contact.c_str())), TAG_END());
  nua_handle_destroy(nh);
}

void SipEndpoint::Impl::OnDialResponse(Leg* leg, int status, sip_t const* sip) {
  if (leg->ended) return;
  leg->got_response = true;
  if (status < 200) {
    if (status == 180 || status == 183) handler.OnDialRinging(leg->id);
    return;
  }
  if (status < 300) {
    if (leg->answered) return;  // a retransmitted 200
    leg->answered = true;
    leg->final_status = status;
    std::string ct, body;
    if (sip && sip->sip_content_type && sip->sip_content_type->c_type) ct = sip->sip_content_type->c_type;
    if (sip && sip->sip_payload && sip->sip_payload->pl_data) {
      body.assign(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    }
    handler.OnDialAnswered(leg->id, ct, body);
    return;
  }
  // Failure; nua reports the terminated state next, which finishes the leg.
  leg->final_status = status;
  if (!leg->reason) leg->reason = CallEndReason::kError;
}

void SipEndpoint::Impl::OnNoResponse(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
  Leg* leg = static_cast<Leg*>(static_cast<void*>(arg));
  if (leg->ended || leg->got_response) return;
  leg->final_status = 408;
  leg->owner->Finish(leg, leg->reason.value_or(CallEndReason::kError), 408);
}

LegId SipEndpoint::Impl::Dial(const DialRequest& req) {
  if (shutting_down || nua == nullptr) return 0;
  su_home_t home[1] = {SU_HOME_INIT(home)};
  url_t* target = url_make(home, req.target.c_str());
  const bool valid = target != nullptr && (target->url_type == url_sip || target->url_type == url_sips);
  su_home_deinit(home);
  if (!valid) return 0;

  auto owned = std::make_unique<Leg>();
  Leg* leg = owned.get();
  leg->owner = this;
  leg->id = next_leg++;
  leg->outbound = true;
  std::string user;
  for (char c : req.from_user) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+') user += c;
  }
  if (user.empty()) user = "anonymous";
  const std::string from = "\"" + user + "\" <sip:" + user + "@" + options.address + ">";
  std::string extra;
  for (const auto& [name, value] : req.headers) {
    extra += name + ": " + SanitizeQuoted(value) + "\r\n";
  }
  leg->nh = nua_handle(nua, static_cast<nua_hmagic_t*>(static_cast<void*>(leg)),
                       SIPTAG_TO_STR(req.target.c_str()), SIPTAG_FROM_STR(from.c_str()), TAG_END());
  if (leg->nh == nullptr) return 0;
  legs.emplace(leg->id, std::move(owned));
  nua_invite(leg->nh, NUTAG_URL(req.target.c_str()), NUTAG_SESSION_TIMER(0),
             SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(req.sdp.c_str()),
             TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
  leg->ring_timer = su_timer_create(su_root_task(root), 0);
  su_timer_set_interval(leg->ring_timer, &Impl::OnNoResponse,
                        static_cast<su_timer_arg_t*>(static_cast<void*>(leg)),
                        static_cast<su_duration_t>(req.no_response.count()));
  return leg->id;
}

void SipEndpoint::Impl::OnInfo(Leg* leg, sip_t const* sip) {
  if (!sip->sip_content_type || !sip->sip_content_type->c_type || !sip->sip_payload) return;
  std::string_view body(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
  if (std::optional<char> d = ParseDtmfRelayBody(sip->sip_content_type->c_type, body)) {
    handler.OnDigit(leg->id, *d);
  }
}

SipEndpoint::SipEndpoint(SipEndpointOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

SipEndpoint::~SipEndpoint() { Stop(); }

Status SipEndpoint::Start() {
  if (thread_.joinable()) return Status::FailedPrecondition("SIP endpoint already started");
  const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) return Status::Internal("eventfd failed");
  {
    MutexLock lock(impl_->mu);
    impl_->wake_fd = wake_fd;
  }
  std::promise<Status> started;
  std::future<Status> result = started.get_future();
  thread_ = std::thread([this, &started] { Run(&started); });
  Status st = result.get();
  if (!st.ok()) {
    thread_.join();
    MutexLock lock(impl_->mu);
    close(impl_->wake_fd);
    impl_->wake_fd = -1;
  }
  return st;
}

void SipEndpoint::Run(std::promise<Status>* started) {
  Impl& s = *impl_;
  s.owner.BecomeCurrentThread();
  int wake_fd;
  {
    MutexLock lock(s.mu);
    wake_fd = s.wake_fd;
  }
  su_init();
  s.root = su_root_create(nullptr);
  if (s.root == nullptr) {
    su_deinit();
    started->set_value(Status::Internal("su_root_create failed"));
    return;
  }
  // Everything (nua stack and our callbacks) on this one thread.
  su_root_threading(s.root, 0);

  std::string url = "sip:" + s.options.address + ":" + std::to_string(s.options.port);
  if (s.options.transports.size() == 1) url += ";transport=" + s.options.transports[0];
  const std::string sips_url = s.options.tls_port == 0 ? std::string()
      : "sips:" + s.options.address + ":" + std::to_string(s.options.tls_port);
  s.nua = nua_create(s.root, &Impl::Callback, static_cast<nua_magic_t*>(static_cast<void*>(&s)),
                     NUTAG_URL(url.c_str()),
                     TAG_IF(!sips_url.empty(), NUTAG_SIPS_URL(sips_url.c_str())),
                     TAG_IF(!sips_url.empty(), NUTAG_CERTIFICATE_DIR(s.options.tls_cert_dir.c_str())),
                     NUTAG_MEDIA_ENABLE(0),      // SDP offer/answer is ours
                     NUTAG_AUTOALERT(0), NUTAG_AUTOANSWER(0),
                     NUTAG_SESSION_TIMER(s.options.session_expires_s),
                     NUTAG_MIN_SE(s.options.min_se_s),
                     // The caller refreshes; we never send re-INVITEs without an offer.
                     NUTAG_SESSION_REFRESHER(nua_remote_refresher),
                     NUTAG_ALLOW("INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, PRACK, REGISTER"),
                     // REGISTER is answered by our registrar (operators' phones).
                     NUTAG_APPL_METHOD("REGISTER"),
                     NUTAG_USER_AGENT(s.options.user_agent.c_str()),
                     SIPTAG_SERVER_STR(s.options.user_agent.c_str()), TAG_END());
  if (s.nua == nullptr) {
    su_root_destroy(s.root);
    s.root = nullptr;
    su_deinit();
    started->set_value(Status::Unavailable("cannot listen for SIP on " + url));
    return;
  }
  su_wait_t wait;
  su_wait_create(&wait, wake_fd, SU_WAIT_IN);
  const int wake_index = su_root_register(
      s.root, &wait, &Impl::OnWake, static_cast<su_wakeup_arg_t*>(static_cast<void*>(&s)), 0);
  s.running = true;
  spdlog::info("sip: listening on {}", url);
  if (!sips_url.empty()) spdlog::info("sip: TLS on {} (certificates in {})", sips_url, s.options.tls_cert_dir);
  started->set_value(Status::Ok());

  su_root_run(s.root);

  s.running = false;
  for (auto& [id, leg] : s.legs) {
    if (leg->ring_timer) su_timer_destroy(leg->ring_timer);
    leg->ring_timer = nullptr;
  }
  nua_destroy(s.nua);
  s.nua = nullptr;
  if (wake_index > 0) su_root_deregister(s.root, wake_index);
  su_root_destroy(s.root);
  s.root = nullptr;
  su_deinit();
}

void SipEndpoint::Stop() {
  if (!thread_.joinable()) return;
  Post([this] {
    Impl& s = *impl_;
    s.shutting_down = true;
    std::vector<LegId> ids;
    for (auto& [id, leg] : s.legs) ids.push_back(id);
    for (LegId id : ids) {
      auto it = s.legs.find(id);
      if (it == s.legs.end()) continue;
      Leg* leg = it->second.get();
      // An operator's phone still ringing: drop the leg now (nua CANCELs it
      // as the handle goes), so no timer or handle outlives the stack.
      if (leg->outbound && !leg->answered && !leg->ended) {
        s.Finish(leg, CallEndReason::kShutdown, 487);
      } else {
        s.Hangup(id, CallEndReason::kShutdown);
      }
    }
    nua_shutdown(s.nua);
  });
  thread_.join();
  std::deque<std::function<void()>> late;  // posted after the shutdown: nothing will run them
  {
    MutexLock lock(impl_->mu);
    close(impl_->wake_fd);
    impl_->wake_fd = -1;
    late.swap(impl_->tasks);
  }
  // The SIP thread is gone: this thread finishes its work. Legs nua did not
  // report before it shut down still get their record.
  impl_->owner.BecomeCurrentThread();
  for (auto& [id, leg] : impl_->legs) {
    impl_->handler.OnEnded(id, leg->reason.value_or(CallEndReason::kShutdown), leg->final_status);
  }
  impl_->legs.clear();
  impl_->owner.Clear();
}

void SipEndpoint::Post(std::function<void()> task) {
  // Under the lock: Stop closes wake_fd under it, so a Post racing a Stop
  // (a contact-centre decision arriving as the line shuts down) either
  // queues before the close or is dropped, and never writes to a closed or
  // reused descriptor.
  MutexLock lock(impl_->mu);
  if (impl_->wake_fd < 0) return;
  impl_->tasks.push_back(std::move(task));
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t r = write(impl_->wake_fd, &one, sizeof one);
}

void SipEndpoint::BeginDrain(int retry_after_s, std::string why) {
  Post([this, retry_after_s, why = std::move(why)]() mutable {
    impl_->BeginDrain(retry_after_s, std::move(why));
  });
}

bool SipEndpoint::IsOnLoopThread() const { return impl_->owner.IsCurrentThread(); }

void SipEndpoint::Hangup(LegId leg, CallEndReason reason) {
  GOSLINE_ASSERT_ON_LOOP_THREAD(*this);
  impl_->Hangup(leg, reason);
}

LegId SipEndpoint::Dial(const DialRequest& request) {
  GOSLINE_ASSERT_ON_LOOP_THREAD(*this);
  return impl_->Dial(request);
}

}  // namespace gosline::telephony
