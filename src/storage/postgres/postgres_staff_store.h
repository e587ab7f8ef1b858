// Staff accounts, sessions and API keys (storage/staff_account_store.h,
// R19, R20) on PostgreSQL: every node of the line (R4) reads and writes the
// same rows, so a browser signed in through one node is known to every
// node, and a sign-out, a revocation or a disabled account holds on every
// node from its next request. Each call is one transaction on a pooled
// connection; thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "storage/postgres/postgres_database.h"
#include "storage/staff_account_store.h"

namespace gosline {

class PostgresStaffStore final : public StaffAccountStore {
 public:
  explicit PostgresStaffStore(std::shared_ptr<PostgresDatabase> db);

  Result<int64_t> AddUser(const StaffUser& user, Time now) override;
  Result<StaffUser> FindUser(std::string_view login) override;
  Result<StaffUser> FindUserById(int64_t id) override;
  Status UpdateUser(const StaffUser& user) override;
  Result<std::vector<StaffUser>> ListUsers() override;

  Status AddSession(const StoredSession& session) override;
  Result<StoredSession> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, Time at) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteUserSessions(int64_t user_id) override;

  Status AddApiKey(const StoredApiKey& key, Time now) override;
  Result<StoredApiKey> FindApiKey(std::string_view id) override;
  Status RevokeApiKey(std::string_view id) override;

 private:
  // One user by the prepared statement `name` with one parameter; NotFound.
  template <typename Param>
  Result<StaffUser> OneUser(const char* name, const Param& param);
  // Runs one write statement; NotFound(`missing`) when it changed no row
  // and `missing` is set.
  template <typename... Params>
  Status WriteOne(const char* missing, const char* name, const Params&... params);

  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
