#include "security/storage_row_cipher.h"

namespace gosline::security {

StorageRowCipher::StorageRowCipher(std::shared_ptr<const FieldCipher> cipher, std::string source)
    : cipher_(std::move(cipher)),
      index_(std::shared_ptr<const KeyRing>(cipher_, &cipher_->ring())),
      source_(std::move(source)) {}

Result<std::shared_ptr<const StorageRowCipher>> StorageRowCipher::Load(const std::string& key_file) {
  GOSLINE_ASSIGN_OR_RETURN(KeyRing ring, KeyRing::Load(key_file));
  GOSLINE_ASSIGN_OR_RETURN(FieldCipher cipher,
      FieldCipher::Create(std::make_shared<const KeyRing>(std::move(ring))));
  const std::string source =
      key_file.empty() ? std::string("variable ") + kDataKeyEnv : "key file " + key_file;
  return std::make_shared<const StorageRowCipher>(
      std::make_shared<const FieldCipher>(std::move(cipher)), source);
}

Result<std::string> StorageRowCipher::Seal(std::string_view plaintext,
                                           std::string_view context) const {
  return cipher_->Encrypt(plaintext, context);
}

Result<std::string> StorageRowCipher::Unseal(std::string_view sealed,
                                             std::string_view context) const {
  return cipher_->Decrypt(sealed, context);
}

bool StorageRowCipher::NeedsRotation(std::string_view value) const {
  if (value.substr(0, kSealedPrefix.size()) == kSealedPrefix) {
    return cipher_->NeedsRotation(value);
  }
  return index_.NeedsRotation(value);  // a phone hash "<key id>.<hex>"; a clear phone has none
}

Result<std::string> StorageRowCipher::PhoneHash(std::string_view phone) const {
  return index_.HashAny(phone);
}

Result<std::vector<std::string>> StorageRowCipher::PhoneLookupHashes(std::string_view phone) const {
  return index_.LookupHashesAny(phone);
}

Result<std::string> StorageRowCipher::MakeKeyCheck() const { return cipher_->MakeKeyCheck(); }

Status StorageRowCipher::VerifyKeyCheck(std::string_view stored) const {
  return cipher_->VerifyKeyCheck(stored);
}

}  // namespace gosline::security
