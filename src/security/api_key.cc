#include "security/api_key.h"

#include <algorithm>

#include "security/encoding.h"
#include "security/sha256.h"

namespace gosline::security {
namespace {

constexpr std::string_view kPrefix = "gsk_";
constexpr size_t kIdBytes = 15;       // -> 24 base32 characters, of which 12 are used
constexpr size_t kIdChars = 12;       // 60 bits: unique enough for an index
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;
constexpr size_t kKeyChars = 4 + kIdChars + 1 + kSecretChars;

bool IsIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

IssuedApiKey NewApiKey(ScopeSet scopes) {
  std::string id = Base32Encode(RandomBytes(kIdBytes)).substr(0, kIdChars);
  std::transform(id.begin(), id.end(), id.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  std::string secret = Base64UrlEncode(RandomBytes(kSecretBytes));
  IssuedApiKey k;
  k.key = std::string(kPrefix) + id + "_" + secret;
  k.id = std::move(id);
  k.secret_hash = Sha256Hex(secret);
  k.scopes = std::move(scopes);
  return k;
}

Result<PresentedApiKey> ParseApiKey(std::string_view presented) {
  const Status malformed = Status::Unauthenticated("malformed API key");
  if (presented.size() != kKeyChars || presented.substr(0, kPrefix.size()) != kPrefix) {
    return malformed;
  }
  std::string_view id = presented.substr(kPrefix.size(), kIdChars);
  if (!std::all_of(id.begin(), id.end(), IsIdChar) || presented[kPrefix.size() + kIdChars] != '_') {
    return malformed;
  }
  std::string_view secret = presented.substr(kPrefix.size() + kIdChars + 1);
  std::optional<std::string> raw = Base64UrlDecode(secret);
  if (!raw || raw->size() != kSecretBytes) return malformed;
  return PresentedApiKey{std::string(id), std::string(secret)};
}

bool ApiKeySecretMatches(const PresentedApiKey& key, std::string_view stored_secret_hash) {
  return ConstantTimeEquals(Sha256Hex(key.secret), stored_secret_hash);
}

}  // namespace gosline::security
