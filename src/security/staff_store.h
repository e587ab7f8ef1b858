// The SQLite engine of the staff accounts, their sessions and integration API
// keys (storage/staff_account_store.h, R19, R20), in the case database
// (migration 3). Safe to share between threads (one connection behind a
// mutex: logins are rare next to case work).
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
#include "storage/staff_account_store.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline::security {

using ::gosline::StaffUser;
using ::gosline::StoredSession;
using ::gosline::StoredApiKey;
// What StaffAuth and the services take: any engine's store.
using StaffStore = ::gosline::StaffAccountStore;

class SqliteStaffStore final : public StaffStore {
 public:
  // Opens the database at `path`, bringing its schema up to date.
  static Result<std::unique_ptr<SqliteStaffStore>> Open(const std::string& path);
  ~SqliteStaffStore() override;
  SqliteStaffStore(const SqliteStaffStore&) = delete;
  SqliteStaffStore& operator=(const SqliteStaffStore&) = delete;

  // AlreadyExists (field "login") when the login is taken.
  Result<int64_t> AddUser(const StaffUser& user, Time now) override;
  Result<StaffUser> FindUser(std::string_view login) override;  // NotFound
  Result<StaffUser> FindUserById(int64_t id) override;
  // Writes every mutable column of the user with `user.id`.
  Status UpdateUser(const StaffUser& user) override;
  Result<std::vector<StaffUser>> ListUsers() override;

  Status AddSession(const StoredSession& session) override;
  Result<StoredSession> FindSession(std::string_view token_hash) override;  // NotFound
  Status TouchSession(std::string_view token_hash, Time at) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteUserSessions(int64_t user_id) override;

  Status AddApiKey(const StoredApiKey& key, Time now) override;
  Result<StoredApiKey> FindApiKey(std::string_view id) override;  // NotFound
  Status RevokeApiKey(std::string_view id) override;             // NotFound

 private:
  explicit SqliteStaffStore(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: any (HTTP workers, the CLI); mu_ guards the connection (one
  // statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline::security
