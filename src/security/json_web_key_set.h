// The state identity provider's public keys (RFC 7517 JWKS): RSA keys for
// RS256 and P-256 keys for ES256, each named by its `kid`. Keys of other
// types or uses are skipped (a provider publishes encryption keys too); a
// document that is not a JWKS at all is refused.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace gosline::security {

struct JsonWebKey {
  std::string kid;
  std::string alg;  // the algorithm the key is for: "RS256" or "ES256"
  std::shared_ptr<evp_pkey_st> key;
};

class JsonWebKeySet {
 public:
  static Result<JsonWebKeySet> Parse(std::string_view json);

  // nullptr when no key has this id.
  const JsonWebKey* Find(const std::string& kid) const;
  size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, JsonWebKey> keys_;
};

}  // namespace gosline::security
