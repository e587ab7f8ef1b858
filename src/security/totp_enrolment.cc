#include "security/totp_enrolment.h"

#include <cstdio>

#include "security/encoding.h"

namespace gosline::security {
namespace {

constexpr size_t kSecretBytes = 20;
constexpr size_t kMaxLogin = 128;

// RFC 3986: everything but unreserved characters is percent-encoded.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

const char* AlgorithmName(TotpAlgorithm a) {
  switch (a) {
    case TotpAlgorithm::kSha1: return "SHA1";
    case TotpAlgorithm::kSha256: return "SHA256";
    case TotpAlgorithm::kSha512: return "SHA512";
  }
  return "SHA1";
}

}  // namespace

std::string NewTotpSecret() { return RandomBytes(kSecretBytes); }

Result<std::string> OtpauthUri(std::string_view login, std::string_view secret,
                               const TotpParams& params, std::string_view issuer) {
  if (login.empty() || login.size() > kMaxLogin) {
    return Status::InvalidArgument("login must be 1 to 128 bytes", "login");
  }
  for (unsigned char c : login) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument("login has control characters", "login");
  }
  if (secret.empty()) return Status::InvalidArgument("empty TOTP secret");
  std::string uri = "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(login);
  uri += "?secret=" + Base32Encode(secret);
  uri += "&issuer=" + PercentEncode(issuer);
  uri += std::string("&algorithm=") + AlgorithmName(params.algorithm);
  uri += "&digits=" + std::to_string(params.digits);
  uri += "&period=" + std::to_string(params.period.count());
  return uri;
}

}  // namespace gosline::security
