#include "security/session_token.h"

#include "security/encoding.h"
#include "security/sha256.h"

namespace gosline::security {
namespace {
constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, no padding
}  // namespace

IssuedToken NewSessionToken() {
  IssuedToken t;
  t.token = Base64UrlEncode(RandomBytes(kTokenBytes));
  t.hash = Sha256Hex(t.token);
  return t;
}

Result<std::string> SessionTokenHash(std::string_view presented) {
  if (presented.size() != kTokenChars) return Status::Unauthenticated("malformed session token");
  std::optional<std::string> raw = Base64UrlDecode(presented);
  if (!raw || raw->size() != kTokenBytes) return Status::Unauthenticated("malformed session token");
  return Sha256Hex(presented);
}

}  // namespace gosline::security
