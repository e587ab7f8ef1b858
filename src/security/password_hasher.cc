#include "security/password_hasher.h"

#include <sodium.h>

#include "security/crypto_ready.h"

namespace gosline::security {
namespace {
// A hash string must fit libsodium's buffer and be NUL-terminated there.
constexpr size_t kMaxStoredHash = crypto_pwhash_STRBYTES - 1;
}  // namespace

PasswordHashLimits PasswordHashLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashLimits PasswordHashLimits::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordHashLimits limits, std::shared_ptr<HashingWorkers> workers)
    : limits_(limits), workers_(std::move(workers)) {
  Result<std::string> dummy = HashHere("gosline dummy password for unknown accounts");
  if (dummy.ok()) dummy_hash_ = std::move(*dummy);
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  if (!workers_) return HashHere(password);
  Result<std::string> out = Status::Internal("password hash not computed");
  GOSLINE_RETURN_IF_ERROR(workers_->Run([&] { out = HashHere(password); }));
  return out;
}

Result<bool> PasswordHasher::Verify(std::string_view stored_hash, std::string_view password) const {
  if (!workers_) return VerifyHere(stored_hash, password);
  Result<bool> out = Status::Internal("password not checked");
  GOSLINE_RETURN_IF_ERROR(workers_->Run([&] { out = VerifyHere(stored_hash, password); }));
  return out;
}

Result<std::string> PasswordHasher::HashHere(std::string_view password) const {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password is too long", "password");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), limits_.opslimit,
                        limits_.memlimit) != 0) {
    return Status::ResourceExhausted("argon2id: out of memory or limits out of range");
  }
  return std::string(out);
}

Result<bool> PasswordHasher::VerifyHere(std::string_view stored_hash,
                                        std::string_view password) const {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  if (stored_hash.size() > kMaxStoredHash || stored_hash.rfind("$argon2id$", 0) != 0) {
    return Status::Corruption("stored password hash is not an argon2id string");
  }
  if (password.size() > kMaxPasswordBytes) return false;
  char buf[crypto_pwhash_STRBYTES] = {};
  stored_hash.copy(buf, stored_hash.size());
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

Status PasswordHasher::VerifyDummy(std::string_view password) const {
  // Only the time it takes matters: as slow as checking a real account.
  if (dummy_hash_.empty()) return Status::Ok();
  Result<bool> checked = Verify(dummy_hash_, password);
  return checked.ok() || checked.status().code() != Status::Code::kUnavailable ? Status::Ok()
                                                                               : checked.status();
}

bool PasswordHasher::NeedsRehash(std::string_view stored_hash) const {
  if (stored_hash.size() > kMaxStoredHash) return true;
  char buf[crypto_pwhash_STRBYTES] = {};
  stored_hash.copy(buf, stored_hash.size());
  // 0: same limits; 1: other limits; -1: not an argon2id string at all.
  return crypto_pwhash_str_needs_rehash(buf, limits_.opslimit, limits_.memlimit) != 0;
}

}  // namespace gosline::security
