// Encryption of personal-data fields at rest (R22): phones, names, notes,
// transcripts. AES-256-GCM (libsodium) where the CPU has AES-NI; elsewhere
// XChaCha20-Poly1305, said once in the log and written in every ciphertext,
// so either kind decrypts wherever its algorithm is available.
//
// Ciphertext (text, fits a TEXT column):
//   gse1.<alg>.<key id>.<base64url(nonce || ciphertext || tag)>
// alg is "a256gcm" or "xc20p". The header and a caller-given context (e.g.
// "cases.phone:42", column and row) are authenticated as associated data,
// so a ciphertext moved to another column or row does not decrypt.
// A wrong key or altered data gives a clear error, never garbage.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "security/key_ring.h"

namespace gosline::security {

enum class CipherAlgorithm { kAes256Gcm, kXChaCha20Poly1305 };

const char* CipherAlgorithmName(CipherAlgorithm algorithm);  // "a256gcm", "xc20p"
bool Aes256GcmAvailable();

class FieldCipher {
 public:
  // nullopt: AES-256-GCM if available, else XChaCha20-Poly1305 (logged).
  // Unavailable when AES-256-GCM is forced on a CPU without AES-NI.
  static Result<FieldCipher> Create(std::shared_ptr<const KeyRing> ring,
                                    std::optional<CipherAlgorithm> algorithm = std::nullopt);

  // InvalidArgument for plaintext over kMaxFieldBytes (recordings are files,
  // not fields).
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view context) const;
  // Corruption: not a ciphertext, or authentication failed (wrong key for
  // its id, altered data, other context). FailedPrecondition: its key id is
  // not in the ring. Unavailable: AES-256-GCM data on a CPU without AES-NI.
  Result<std::string> Decrypt(std::string_view ciphertext, std::string_view context) const;

  // For `gosline keys rotate`: whether the field is under another key or
  // algorithm than new data, and the field re-encrypted under the active key.
  bool NeedsRotation(std::string_view ciphertext) const;
  Result<std::string> Rotate(std::string_view ciphertext, std::string_view context) const;

  // A known value encrypted under the active key, kept in the database; at
  // start VerifyKeyCheck tells a wrong key before any data is touched.
  Result<std::string> MakeKeyCheck() const;
  Status VerifyKeyCheck(std::string_view stored) const;

  CipherAlgorithm algorithm() const { return algorithm_; }
  const KeyRing& ring() const { return *ring_; }

  static constexpr size_t kMaxFieldBytes = 1 << 20;

 private:
  FieldCipher(std::shared_ptr<const KeyRing> ring, CipherAlgorithm algorithm)
      : ring_(std::move(ring)), algorithm_(algorithm) {}

  std::shared_ptr<const KeyRing> ring_;
  CipherAlgorithm algorithm_;
};

}  // namespace gosline::security
