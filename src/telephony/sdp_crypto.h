// The SDES crypto attribute of SDP (RFC 4568): "a=crypto:<tag> <suite>
// inline:<key||salt in base64>". SDES keys travel inside the SDP, so they are
// only as secret as the signalling: offered and accepted over SIP/TLS only
// (srtp_negotiation.h decides that).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::telephony {

// The suites we speak (RFC 4568 6.2): AES-CM with 128-bit keys and an
// HMAC-SHA1 tag of 80 or 32 bits. Both take a 16-byte key and a 14-byte salt.
enum class SrtpSuite { kAesCm128HmacSha1_80, kAesCm128HmacSha1_32 };

inline constexpr size_t kSrtpKeySaltSize = 30;
using SrtpKeySalt = std::array<uint8_t, kSrtpKeySaltSize>;

struct SdpCrypto {
  uint32_t tag = 0;  // 1..999999999, matches an answer to its offer
  SrtpSuite suite = SrtpSuite::kAesCm128HmacSha1_80;
  SrtpKeySalt key{};
};

const char* SrtpSuiteName(SrtpSuite suite);
std::optional<SrtpSuite> SrtpSuiteFromName(std::string_view name);

// The value of one a=crypto attribute (what follows "a=crypto:").
// InvalidArgument: malformed. NotFound: well formed but not something we use
// (another suite; a key lifetime, an MKI, several keys, or session
// parameters such as UNENCRYPTED_SRTP): RFC 4568 7.1.2 asks the answerer to
// skip such a line and try the next one. The message says which.
Result<SdpCrypto> ParseSdpCrypto(std::string_view value);

// "1 AES_CM_128_HMAC_SHA1_80 inline:<base64>" (no "a=crypto:", no CRLF).
std::string RenderSdpCrypto(const SdpCrypto& crypto);

}  // namespace gosline::telephony
