// Data keys for encryption at rest (R22), kept outside the database: a key
// file (owner-only permissions) or the GOSLINE_DATA_KEY environment variable.
//
// Format, file or variable: entries "ID:KEY", one per line or separated by
// commas; '#' starts a comment line. KEY is 32 bytes as 64 hex digits or
// base64. The LAST entry is the active key (new data is encrypted under it);
// earlier ones only decrypt. Rotation: append a new key, run
// `gosline keys rotate`, then remove the old entry. A single bare KEY is
// accepted and gets the id "default".
//
// From each key three subkeys are derived (libsodium KDF): one for field
// encryption, one for the phone lookup HMAC and one for recording streams
// (security/recording_stream.h), so no key bytes serve two algorithms. Key material is wiped from memory when the ring goes away.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace gosline::security {

inline constexpr size_t kDataKeyBytes = 32;
inline constexpr const char* kDataKeyEnv = "GOSLINE_DATA_KEY";

class DataKey {
 public:
  using Bytes = std::array<unsigned char, kDataKeyBytes>;
  DataKey(std::string id, const Bytes& master);
  DataKey(const DataKey&) = default;
  DataKey& operator=(const DataKey&) = default;
  ~DataKey();

  const std::string& id() const { return id_; }
  const Bytes& field_key() const { return field_key_; }
  const Bytes& index_key() const { return index_key_; }
  const Bytes& recording_key() const { return recording_key_; }

 private:
  std::string id_;
  Bytes field_key_{};
  Bytes index_key_{};
  Bytes recording_key_{};
};

class KeyRing {
 public:
  // `source` names where the text came from, for messages (never the key).
  static Result<KeyRing> Parse(std::string_view text, std::string_view source);
  // Refuses a file that group or others can read, or that is not a regular file.
  static Result<KeyRing> LoadFile(const std::string& path);
  static Result<KeyRing> FromEnvironment();
  // The key file when `key_file` is set, else the environment variable;
  // FailedPrecondition when there is neither.
  static Result<KeyRing> Load(const std::string& key_file);

  // A fresh entry "ID:HEX" for `gosline keys generate` to append.
  static std::string NewKeyEntry(std::string_view id);

  const DataKey& active() const { return keys_.back(); }
  const DataKey* Find(std::string_view id) const;
  std::vector<std::string> ids() const;

 private:
  KeyRing() = default;
  std::vector<DataKey> keys_;  // never empty
};

}  // namespace gosline::security
