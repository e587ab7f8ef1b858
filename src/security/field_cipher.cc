#include "security/field_cipher.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "security/crypto_ready.h"
#include "security/encoding.h"

namespace gosline::security {
namespace {

constexpr std::string_view kVersion = "gse1";
constexpr std::string_view kKeyCheckPlain = "gosline key check v1";
constexpr std::string_view kKeyCheckContext = "gosline.key_check";
constexpr size_t kTagBytes = 16;  // both AEADs

size_t NonceBytes(CipherAlgorithm a) {
  return a == CipherAlgorithm::kAes256Gcm ? crypto_aead_aes256gcm_NPUBBYTES
                                          : crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
}

std::optional<CipherAlgorithm> ParseAlgorithm(std::string_view name) {
  if (name == "a256gcm") return CipherAlgorithm::kAes256Gcm;
  if (name == "xc20p") return CipherAlgorithm::kXChaCha20Poly1305;
  return std::nullopt;
}

std::string Header(CipherAlgorithm a, std::string_view key_id) {
  return std::string(kVersion) + "." + CipherAlgorithmName(a) + "." + std::string(key_id) + ".";
}

struct Parsed {
  CipherAlgorithm algorithm;
  std::string key_id;
  std::string header;
  std::string payload;  // nonce || ciphertext || tag
};

Result<Parsed> Parse(std::string_view text) {
  const Status bad = Status::Corruption("not an encrypted field (expected gse1.<alg>.<key>.<data>)");
  if (text.size() > FieldCipher::kMaxFieldBytes * 4 / 3 + 128) return bad;
  std::vector<std::string_view> parts;
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    size_t dot = text.find('.', pos);
    if (dot == std::string_view::npos) return bad;
    parts.push_back(text.substr(pos, dot - pos));
    pos = dot + 1;
  }
  if (parts[0] != kVersion || parts[2].empty()) return bad;
  std::optional<CipherAlgorithm> alg = ParseAlgorithm(parts[1]);
  if (!alg) return Status::Corruption("encrypted field uses an unknown algorithm");
  std::optional<std::string> payload = Base64UrlDecode(text.substr(pos));
  if (!payload || payload->size() < NonceBytes(*alg) + kTagBytes) return bad;
  return Parsed{*alg, std::string(parts[2]), std::string(text.substr(0, pos)), std::move(*payload)};
}

}  // namespace

const char* CipherAlgorithmName(CipherAlgorithm algorithm) {
  return algorithm == CipherAlgorithm::kAes256Gcm ? "a256gcm" : "xc20p";
}

bool Aes256GcmAvailable() {
  return EnsureCryptoReady().ok() && crypto_aead_aes256gcm_is_available() == 1;
}

Result<FieldCipher> FieldCipher::Create(std::shared_ptr<const KeyRing> ring,
                                        std::optional<CipherAlgorithm> algorithm) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  if (!ring) return Status::Internal("field cipher without a key ring");
  if (!algorithm) {
    if (Aes256GcmAvailable()) {
      algorithm = CipherAlgorithm::kAes256Gcm;
    } else {
      spdlog::warn(
          "encryption at rest: this CPU has no AES-NI; new fields use XChaCha20-Poly1305 "
          "(tag 'xc20p') instead of AES-256-GCM");
      algorithm = CipherAlgorithm::kXChaCha20Poly1305;
    }
  }
  if (*algorithm == CipherAlgorithm::kAes256Gcm && !Aes256GcmAvailable()) {
    return Status::Unavailable("AES-256-GCM needs AES-NI, which this CPU lacks");
  }
  return FieldCipher(std::move(ring), *algorithm);
}

Result<std::string> FieldCipher::Encrypt(std::string_view plaintext, std::string_view context) const {
  if (plaintext.size() > kMaxFieldBytes) {
    return Status::InvalidArgument("field too large to encrypt (at most 1 MiB)");
  }
  const DataKey& key = ring_->active();
  const std::string header = Header(algorithm_, key.id());
  const std::string ad = header + std::string(context);
  const size_t nonce_len = NonceBytes(algorithm_);
  std::string payload = RandomBytes(nonce_len);
  payload.resize(nonce_len + plaintext.size() + kTagBytes);
  auto* out = reinterpret_cast<unsigned char*>(payload.data() + nonce_len);
  const auto* nonce = reinterpret_cast<const unsigned char*>(payload.data());
  const auto* in = reinterpret_cast<const unsigned char*>(plaintext.data());
  const auto* adp = reinterpret_cast<const unsigned char*>(ad.data());
  unsigned long long out_len = 0;
  int rc = algorithm_ == CipherAlgorithm::kAes256Gcm
               ? crypto_aead_aes256gcm_encrypt(out, &out_len, in, plaintext.size(), adp, ad.size(),
                                               nullptr, nonce, key.field_key().data())
               : crypto_aead_xchacha20poly1305_ietf_encrypt(out, &out_len, in, plaintext.size(), adp,
                                                            ad.size(), nullptr, nonce,
                                                            key.field_key().data());
  if (rc != 0) return Status::Internal("encryption failed");
  return header + Base64UrlEncode(payload);
}

Result<std::string> FieldCipher::Decrypt(std::string_view ciphertext,
                                         std::string_view context) const {
  GOSLINE_ASSIGN_OR_RETURN(Parsed p, Parse(ciphertext));
  const DataKey* key = ring_->Find(p.key_id);
  if (key == nullptr) {
    std::string have;
    for (const std::string& id : ring_->ids()) have += (have.empty() ? "" : ", ") + id;
    return Status::FailedPrecondition("field is encrypted under key '" + p.key_id +
                                      "', which is not in the key ring (it has: " + have + ")");
  }
  if (p.algorithm == CipherAlgorithm::kAes256Gcm && !Aes256GcmAvailable()) {
    return Status::Unavailable("field is AES-256-GCM encrypted; this CPU lacks AES-NI");
  }
  const std::string ad = p.header + std::string(context);
  const size_t nonce_len = NonceBytes(p.algorithm);
  const size_t ct_len = p.payload.size() - nonce_len;
  std::string plain(ct_len - kTagBytes, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(p.payload.data());
  const auto* ct = nonce + nonce_len;
  const auto* adp = reinterpret_cast<const unsigned char*>(ad.data());
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  unsigned long long out_len = 0;
  int rc = p.algorithm == CipherAlgorithm::kAes256Gcm
               ? crypto_aead_aes256gcm_decrypt(out, &out_len, nullptr, ct, ct_len, adp, ad.size(),
                                               nonce, key->field_key().data())
               : crypto_aead_xchacha20poly1305_ietf_decrypt(out, &out_len, nullptr, ct, ct_len, adp,
                                                            ad.size(), nonce,
                                                            key->field_key().data());
  if (rc != 0) {
    sodium_memzero(plain.data(), plain.size());
    return Status::Corruption("decryption failed: authentication failed for key '" + p.key_id +
                              "' (wrong key under that id, altered data, or another field's value)");
  }
  plain.resize(out_len);
  return plain;
}

bool FieldCipher::NeedsRotation(std::string_view ciphertext) const {
  Result<Parsed> p = Parse(ciphertext);
  return !p.ok() || p->key_id != ring_->active().id() || p->algorithm != algorithm_;
}

Result<std::string> FieldCipher::Rotate(std::string_view ciphertext,
                                        std::string_view context) const {
  GOSLINE_ASSIGN_OR_RETURN(std::string plain, Decrypt(ciphertext, context));
  Result<std::string> out = Encrypt(plain, context);
  sodium_memzero(plain.data(), plain.size());
  return out;
}

Result<std::string> FieldCipher::MakeKeyCheck() const { return Encrypt(kKeyCheckPlain, kKeyCheckContext); }

Status FieldCipher::VerifyKeyCheck(std::string_view stored) const {
  Result<std::string> plain = Decrypt(stored, kKeyCheckContext);
  if (plain.ok() && *plain == kKeyCheckPlain) return Status::Ok();
  return Status::FailedPrecondition(
      "the data key does not open this database (" +
      (plain.ok() ? std::string("key check value differs") : plain.status().message()) +
      "): check security.key_file or GOSLINE_DATA_KEY; no data was read or changed");
}

}  // namespace gosline::security
