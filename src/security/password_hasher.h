// Staff password hashes (R19): argon2id through libsodium's crypto_pwhash_str,
// whose output string carries the algorithm, limits and salt, so old hashes
// stay verifiable after the limits change and NeedsRehash() says when to
// upgrade one (after a successful login, when the password is at hand).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "security/hashing_workers.h"

namespace gosline::security {

struct PasswordHashLimits {
  // libsodium's "moderate" profile: about 0.5 s and 256 MiB per hash on a
  // server core. Each concurrent login holds memlimit bytes.
  uint64_t opslimit = 3;
  size_t memlimit = 256u << 20;

  static PasswordHashLimits Moderate() { return {}; }
  static PasswordHashLimits Interactive();  // 2 ops, 64 MiB
  static PasswordHashLimits Minimum();      // for tests only: 1 op, 8 KiB
};

// With `workers`, every Hash and Verify runs on that bounded pool (the
// server's: off the HTTP threads, at most so many at once) and may fail with
// Unavailable when the pool is full; without, on the calling thread (CLI).
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashLimits limits = PasswordHashLimits::Moderate(),
                          std::shared_ptr<HashingWorkers> workers = nullptr);

  // "$argon2id$v=19$m=...,t=...,p=1$salt$hash". InvalidArgument for a password
  // over kMaxPasswordBytes; ResourceExhausted when memory runs out.
  Result<std::string> Hash(std::string_view password) const;
  // true: the password matches. false: it does not. An error only for a
  // stored hash that is not an argon2id string (a damaged row), or a full pool.
  Result<bool> Verify(std::string_view stored_hash, std::string_view password) const;
  // Spends the time of one Verify against a fixed hash, so a login for an
  // unknown account takes as long as one for a known account. An error only
  // when the pool is full (as Verify would have failed for a known account).
  [[nodiscard]] Status VerifyDummy(std::string_view password) const;
  // true when `stored_hash` was made with other limits than this hasher's.
  bool NeedsRehash(std::string_view stored_hash) const;

  static constexpr size_t kMaxPasswordBytes = 1024;

 private:
  Result<std::string> HashHere(std::string_view password) const;
  Result<bool> VerifyHere(std::string_view stored_hash, std::string_view password) const;

  PasswordHashLimits limits_;
  std::shared_ptr<HashingWorkers> workers_;
  std::string dummy_hash_;
};

}  // namespace gosline::security
