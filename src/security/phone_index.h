// The phone lookup index (R22): cases are found by phone without storing the
// number in clear. The index column holds "<key id>.<hex HMAC-SHA-256>" of
// the number normalised to E.164, under the key ring's index subkey. A
// lookup asks for the hashes under every key in the ring, so rows not yet
// re-indexed by `gosline keys rotate` are still found.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "security/key_ring.h"

namespace gosline::security {

class PhoneIndex {
 public:
  explicit PhoneIndex(std::shared_ptr<const KeyRing> ring) : ring_(std::move(ring)) {}

  // Under the active key, for writing. InvalidArgument (field "phone") when
  // the text is not a phone number.
  Result<std::string> Hash(std::string_view phone) const;
  // Under every key, active first, for `WHERE phone_hmac IN (...)`.
  Result<std::vector<std::string>> LookupHashes(std::string_view phone) const;
  // Like Hash/LookupHashes, but text that is not a phone number (an imported
  // case's odd "phone") is hashed as given instead of refused; the stores
  // use these so every row gets an index value.
  std::string HashAny(std::string_view text) const;
  std::vector<std::string> LookupHashesAny(std::string_view text) const;
  // Whether a stored index value is under another key than the active one.
  bool NeedsRotation(std::string_view stored) const;

 private:
  std::shared_ptr<const KeyRing> ring_;
};

}  // namespace gosline::security
