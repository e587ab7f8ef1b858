// Staff accounts, their sessions and integration API keys (R19, R20). Rows
// hold only hashes of secrets; the TOTP secret columns hold field_cipher
// ciphertexts. With SQLite they are the node's own; with PostgreSQL every
// node of the line reads and writes the same rows (R4), so a session opened
// or an API key made on one node is valid on every node, and a sign-out,
// revocation or disabled account is seen by every node at its next request.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct StaffUser {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string role;                         // "operator", "supervisor", ... (staff_auth.h)
  std::string password_hash;                // argon2id string
  std::optional<std::string> totp_secret;   // ciphertext (field_cipher)
  std::optional<std::string> totp_pending;  // enrolment awaiting confirmation
  std::optional<int64_t> totp_last_step;    // replay protection
  std::vector<std::string> recovery_hashes;
  bool disabled = false;
  int failed_logins = 0;                    // consecutive, for the account page
  bool password_temporary = false;          // issued by an administrator: replaced at first sign-in
};

struct StoredSession {
  std::string token_hash;
  int64_t user_id = 0;
  Time created_at{};
  Time last_seen_at{};
};

struct StoredApiKey {
  std::string id;
  std::string name;
  std::string secret_hash;
  std::string scopes;  // ScopeSet::ToString()
  bool revoked = false;
};

class StaffAccountStore {
 public:
  virtual ~StaffAccountStore() = default;

  // AlreadyExists (field "login") when the login is taken.
  virtual Result<int64_t> AddUser(const StaffUser& user, Time now) = 0;
  virtual Result<StaffUser> FindUser(std::string_view login) = 0;  // NotFound
  virtual Result<StaffUser> FindUserById(int64_t id) = 0;          // NotFound
  // Writes every mutable column of the user with `user.id`; NotFound.
  virtual Status UpdateUser(const StaffUser& user) = 0;
  // By login.
  virtual Result<std::vector<StaffUser>> ListUsers() = 0;

  virtual Status AddSession(const StoredSession& session) = 0;
  virtual Result<StoredSession> FindSession(std::string_view token_hash) = 0;  // NotFound
  virtual Status TouchSession(std::string_view token_hash, Time at) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteUserSessions(int64_t user_id) = 0;

  virtual Status AddApiKey(const StoredApiKey& key, Time now) = 0;
  virtual Result<StoredApiKey> FindApiKey(std::string_view id) = 0;  // NotFound
  virtual Status RevokeApiKey(std::string_view id) = 0;             // NotFound
};

}  // namespace gosline
