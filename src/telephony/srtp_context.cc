#include "telephony/srtp_context.h"

#include <srtp2/srtp.h>

#include <climits>
#include <mutex>

namespace gosline::telephony {
namespace {

Status EnsureLibsrtp() {
  static std::once_flag once;
  static srtp_err_status_t result = srtp_err_status_ok;
  std::call_once(once, [] { result = srtp_init(); });
  if (result != srtp_err_status_ok) {
    return Status::Internal("libsrtp failed to start (" + std::to_string(result) + ")");
  }
  return Status::Ok();
}

void SetSuite(srtp_policy_t& policy, SrtpSuite suite) {
  if (suite == SrtpSuite::kAesCm128HmacSha1_32) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
  }
  // RFC 4568 6.2.2: SRTCP keeps the 80-bit tag with either suite.
  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
}

Result<srtp_t> MakeSession(SrtpSuite suite, const SrtpKeySalt& key, srtp_ssrc_type_t direction) {
  SrtpKeySalt copy = key;  // libsrtp takes a non-const pointer; it copies the key
  srtp_policy_t policy{};
  SetSuite(policy, suite);
  policy.ssrc.type = direction;
  policy.key = copy.data();
  policy.window_size = 128;
  policy.allow_repeat_tx = 0;
  policy.next = nullptr;
  srtp_t session = nullptr;
  const srtp_err_status_t st = srtp_create(&session, &policy);
  copy.fill(0);
  if (st != srtp_err_status_ok) {
    return Status::Internal("libsrtp could not create a session (" + std::to_string(st) + ")");
  }
  return session;
}

}  // namespace

struct SrtpContext::Sessions {
  srtp_t send = nullptr;
  srtp_t receive = nullptr;
  ~Sessions() {
    if (send != nullptr) srtp_dealloc(send);
    if (receive != nullptr) srtp_dealloc(receive);
  }
};

SrtpContext::SrtpContext(std::unique_ptr<Sessions> sessions) : sessions_(std::move(sessions)) {}
SrtpContext::~SrtpContext() = default;

Result<std::unique_ptr<SrtpContext>> SrtpContext::Create(SrtpSuite suite,
                                                         const SrtpKeySalt& send_key,
                                                         const SrtpKeySalt& receive_key) {
  GOSLINE_RETURN_IF_ERROR(EnsureLibsrtp());
  auto sessions = std::make_unique<Sessions>();
  GOSLINE_ASSIGN_OR_RETURN(sessions->send, MakeSession(suite, send_key, ssrc_any_outbound));
  GOSLINE_ASSIGN_OR_RETURN(sessions->receive, MakeSession(suite, receive_key, ssrc_any_inbound));
  return std::unique_ptr<SrtpContext>(new SrtpContext(std::move(sessions)));
}

bool SrtpContext::Protect(uint8_t* packet, size_t* size, size_t capacity) {
  if (*size < 12 || *size > INT_MAX - kSrtpMaxTrailer || capacity < *size + kSrtpMaxTrailer) {
    return false;
  }
  int len = static_cast<int>(*size);
  if (srtp_protect(sessions_->send, packet, &len) != srtp_err_status_ok) return false;
  *size = static_cast<size_t>(len);
  return true;
}

SrtpContext::Verdict SrtpContext::Unprotect(uint8_t* packet, size_t* size) {
  if (*size < 12 || *size > INT_MAX) return Verdict::kMalformed;
  int len = static_cast<int>(*size);
  switch (srtp_unprotect(sessions_->receive, packet, &len)) {
    case srtp_err_status_ok:
      *size = static_cast<size_t>(len);
      return Verdict::kOk;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return Verdict::kReplayed;
    case srtp_err_status_auth_fail:
      return Verdict::kAuthFailed;
    default:
      return Verdict::kMalformed;
  }
}

}  // namespace gosline::telephony
