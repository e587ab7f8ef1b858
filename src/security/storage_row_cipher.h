// The storage layer's RowCipher (storage/row_cipher.h) on top of the
// field cipher (AES-256-GCM, key id in every ciphertext) and the keyed phone
// index, both under one key ring.
#pragma once

#include <memory>
#include <string>

#include "security/field_cipher.h"
#include "security/phone_index.h"
#include "storage/row_cipher.h"

namespace gosline::security {

class StorageRowCipher final : public RowCipher {
 public:
  // source: where the key came from, for messages ("key file var/keys/data.key").
  StorageRowCipher(std::shared_ptr<const FieldCipher> cipher, std::string source);

  // Loads the ring (key file, else GOSLINE_DATA_KEY) and builds the cipher.
  static Result<std::shared_ptr<const StorageRowCipher>> Load(const std::string& key_file);

  Result<std::string> Seal(std::string_view plaintext, std::string_view context) const override;
  Result<std::string> Unseal(std::string_view sealed, std::string_view context) const override;
  bool NeedsRotation(std::string_view sealed_or_hash) const override;
  Result<std::string> PhoneHash(std::string_view phone) const override;
  Result<std::vector<std::string>> PhoneLookupHashes(std::string_view phone) const override;
  Result<std::string> MakeKeyCheck() const override;
  Status VerifyKeyCheck(std::string_view stored) const override;
  std::string source() const override { return source_; }

  const FieldCipher& field_cipher() const { return *cipher_; }

 private:
  std::shared_ptr<const FieldCipher> cipher_;
  PhoneIndex index_;
  std::string source_;
};

}  // namespace gosline::security
