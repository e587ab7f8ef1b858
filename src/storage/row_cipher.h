// What the stores need to keep personal data encrypted at rest (R22), for
// any engine, without the storage layer depending on the crypto adapters
// (security links storage, not the other way round):
// security/storage_row_cipher.h adapts FieldCipher and PhoneIndex to it.
//
// A store given no RowCipher keeps fields in clear (tests, old databases);
// once a database holds a key check, it refuses to open without the key.
// Implementations are immutable after construction: every method may be
// called from any thread at the same time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace gosline {

class RowCipher {
 public:
  virtual ~RowCipher() = default;

  // context names column and row ("cases.phone:42"): a ciphertext moved to
  // another row or column does not decrypt.
  virtual Result<std::string> Seal(std::string_view plaintext, std::string_view context) const = 0;
  virtual Result<std::string> Unseal(std::string_view sealed, std::string_view context) const = 0;
  // Whether a sealed field or phone hash is under another key than the active one.
  virtual bool NeedsRotation(std::string_view sealed_or_hash) const = 0;

  // Keyed hash of a phone (E.164 when it parses, else the text as given)
  // under the active key, for the lookup column; and under every key, for
  // `WHERE ... IN (...)` while a rotation is under way.
  virtual Result<std::string> PhoneHash(std::string_view phone) const = 0;
  virtual Result<std::vector<std::string>> PhoneLookupHashes(std::string_view phone) const = 0;

  // A known value under the active key, kept in the database, so a wrong key
  // is told at open before any row is read or written.
  virtual Result<std::string> MakeKeyCheck() const = 0;
  virtual Status VerifyKeyCheck(std::string_view stored) const = 0;

  // Where the key came from, for messages ("key file var/keys/data.key").
  virtual std::string source() const = 0;
};

// Fields sealed by a RowCipher start with this (field_cipher.h's format).
inline constexpr std::string_view kSealedPrefix = "gse1.";

}  // namespace gosline
