// Time-based one-time passwords (RFC 6238) for the staff second factor (R19),
// computed by liboath. Staff use SHA-1, 6 digits, 30 s steps (what every
// authenticator app supports); other parameters exist for the RFC vectors.
//
// Replay protection: a code is accepted only for a time step later than the
// last step accepted for the same account, so a code seen over a shoulder or
// in a proxy log cannot be used again in its window. The caller keeps that
// step per account (the users table) and passes it in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline::security {

enum class TotpAlgorithm { kSha1, kSha256, kSha512 };

struct TotpParams {
  TotpAlgorithm algorithm = TotpAlgorithm::kSha1;
  unsigned digits = 6;
  std::chrono::seconds period{30};
  int window = 1;  // steps accepted either side of now: clock drift, typing time
};

// The time step containing `at`: floor(unix seconds / period).
int64_t TotpStep(Time at, const TotpParams& params = {});

// The code for the step containing `at`. `secret` is raw key bytes.
Result<std::string> TotpCode(std::string_view secret, Time at, const TotpParams& params = {});

// Checks `code` (digits; spaces are ignored) at `now`. Returns the accepted
// step, which the caller stores as the account's new last step.
// Unauthenticated when the code is wrong, or right but for a step at or
// before `last_accepted_step` (a replay).
Result<int64_t> VerifyTotp(std::string_view secret, std::string_view code, Time now,
                           std::optional<int64_t> last_accepted_step,
                           const TotpParams& params = {});

}  // namespace gosline::security
