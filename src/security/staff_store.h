// Staff accounts, their sessions and integration API keys (R19, R20) in the
// case database (migration 3). Rows hold only hashes of secrets; the TOTP
// secret column holds a field_cipher ciphertext. Safe to share between
// threads (one connection behind a mutex: logins are rare next to case work).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline::security {

struct StaffUser {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string role;                         // "operator", "supervisor", ... (staff_role.h)
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

class StaffStore {
 public:
  // Opens the database at `path`, bringing its schema up to date.
  static Result<std::unique_ptr<StaffStore>> Open(const std::string& path);
  ~StaffStore();
  StaffStore(const StaffStore&) = delete;
  StaffStore& operator=(const StaffStore&) = delete;

  // AlreadyExists (field "login") when the login is taken.
  Result<int64_t> AddUser(const StaffUser& user, Time now);
  Result<StaffUser> FindUser(std::string_view login);  // NotFound
  Result<StaffUser> FindUserById(int64_t id);
  // Writes every mutable column of the user with `user.id`.
  Status UpdateUser(const StaffUser& user);
  Result<std::vector<StaffUser>> ListUsers();

  Status AddSession(const StoredSession& session);
  Result<StoredSession> FindSession(std::string_view token_hash);  // NotFound
  Status TouchSession(std::string_view token_hash, Time at);
  Status DeleteSession(std::string_view token_hash);
  Status DeleteUserSessions(int64_t user_id);

  Status AddApiKey(const StoredApiKey& key, Time now);
  Result<StoredApiKey> FindApiKey(std::string_view id);  // NotFound
  Status RevokeApiKey(std::string_view id);             // NotFound

 private:
  explicit StaffStore(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: any (HTTP workers, the CLI); mu_ guards the connection (one
  // statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline::security
