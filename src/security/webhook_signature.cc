#include "security/webhook_signature.h"

#include <sodium.h>

#include "security/encoding.h"

namespace gosline::security {

std::string Base64Encode(std::string_view bytes) {
  const size_t len = sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(len - 1);  // the terminating NUL
  return out;
}

std::string NewWebhookSecret() { return "whsec_" + Base64Encode(RandomBytes(32)); }

Result<std::string> SignWebhook(std::string_view secret, std::string_view message_id,
                                int64_t timestamp_seconds, std::string_view body) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) != kPrefix) {
    return Status::InvalidArgument("a webhook secret starts with whsec_");
  }
  std::optional<std::string> key = Base64Decode(secret.substr(kPrefix.size()));
  if (!key || key->size() < 16) return Status::InvalidArgument("a webhook secret is whsec_ and base64 of 16+ bytes");
  const std::string signed_content =
      std::string(message_id) + "." + std::to_string(timestamp_seconds) + "." + std::string(body);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key->data()), key->size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_content.data()),
                                signed_content.size());
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

}  // namespace gosline::security
