#include "security/totp.h"

#include <liboath/oath.h>

#include "security/crypto_ready.h"
#include "security/encoding.h"

namespace gosline::security {
namespace {

constexpr size_t kMaxCodeInput = 16;
constexpr size_t kMaxSecretBytes = 128;

int OathFlags(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::kSha1: return 0;
    case TotpAlgorithm::kSha256: return OATH_TOTP_HMAC_SHA256;
    case TotpAlgorithm::kSha512: return OATH_TOTP_HMAC_SHA512;
  }
  return 0;
}

Result<std::string> CodeForStep(std::string_view secret, int64_t step, const TotpParams& p) {
  char out[16] = {};
  // liboath computes the step itself from a time: give it the step's start.
  time_t at = static_cast<time_t>(step * p.period.count());
  int rc = oath_totp_generate2(secret.data(), secret.size(), at,
                               static_cast<unsigned>(p.period.count()), 0, p.digits,
                               OathFlags(p.algorithm), out);
  if (rc != OATH_OK) return Status::Internal(std::string("liboath: ") + oath_strerror(rc));
  return std::string(out);
}

Status CheckParams(std::string_view secret, const TotpParams& p) {
  if (secret.empty() || secret.size() > kMaxSecretBytes) {
    return Status::InvalidArgument("TOTP secret must be 1 to 128 bytes");
  }
  if (p.digits < 6 || p.digits > 8) return Status::InvalidArgument("TOTP digits must be 6 to 8");
  if (p.period.count() <= 0) return Status::InvalidArgument("TOTP period must be positive");
  if (p.window < 0 || p.window > 10) return Status::InvalidArgument("TOTP window must be 0 to 10");
  return EnsureCryptoReady();
}

}  // namespace

int64_t TotpStep(Time at, const TotpParams& params) {
  int64_t seconds = std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
  int64_t period = params.period.count();
  // Floor division, also for times before 1970.
  return seconds >= 0 ? seconds / period : -((-seconds + period - 1) / period);
}

Result<std::string> TotpCode(std::string_view secret, Time at, const TotpParams& params) {
  GOSLINE_RETURN_IF_ERROR(CheckParams(secret, params));
  return CodeForStep(secret, TotpStep(at, params), params);
}

Result<int64_t> VerifyTotp(std::string_view secret, std::string_view code, Time now,
                           std::optional<int64_t> last_accepted_step, const TotpParams& params) {
  GOSLINE_RETURN_IF_ERROR(CheckParams(secret, params));
  if (code.size() > kMaxCodeInput) return Status::Unauthenticated("wrong one-time code");
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return Status::Unauthenticated("wrong one-time code");
    digits += c;
  }
  if (digits.size() != params.digits) return Status::Unauthenticated("wrong one-time code");

  const int64_t current = TotpStep(now, params);
  std::optional<int64_t> fresh;   // a matching step after the last accepted one
  bool replayed = false;          // a match at or before it
  // Every step in the window is computed and compared: the time taken does
  // not depend on which one matched.
  for (int64_t step = current - params.window; step <= current + params.window; ++step) {
    GOSLINE_ASSIGN_OR_RETURN(std::string expected, CodeForStep(secret, step, params));
    if (!ConstantTimeEquals(expected, digits)) continue;
    if (last_accepted_step && step <= *last_accepted_step) {
      replayed = true;
    } else if (!fresh) {
      fresh = step;
    }
  }
  if (fresh) return *fresh;
  if (replayed) return Status::Unauthenticated("one-time code already used");
  return Status::Unauthenticated("wrong one-time code");
}

}  // namespace gosline::security
