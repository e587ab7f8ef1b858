// Enrolling a second factor (R19): a fresh secret and the otpauth:// URI an
// authenticator app reads (shown as a QR code, see qr_code.h).
// Key URI format: otpauth://totp/ISSUER:LOGIN?secret=BASE32&issuer=ISSUER&...
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"
#include "security/totp.h"

namespace gosline::security {

// 20 random bytes (160 bits, the HMAC-SHA-1 block the RFC recommends).
std::string NewTotpSecret();

// InvalidArgument (field "login") for an empty, oversized or control-character login.
Result<std::string> OtpauthUri(std::string_view login, std::string_view secret,
                               const TotpParams& params = {}, std::string_view issuer = "gosline");

}  // namespace gosline::security
