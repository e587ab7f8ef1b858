#include "storage/postgres/postgres_staff_store.h"

#include <optional>
#include <string>
#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kAddUser = "gosline_staff_add_user";
constexpr const char* kUserByLogin = "gosline_staff_user_by_login";
constexpr const char* kUserById = "gosline_staff_user_by_id";
constexpr const char* kUpdateUser = "gosline_staff_update_user";
constexpr const char* kListUsers = "gosline_staff_list_users";
constexpr const char* kAddSession = "gosline_staff_add_session";
constexpr const char* kFindSession = "gosline_staff_find_session";
constexpr const char* kTouchSession = "gosline_staff_touch_session";
constexpr const char* kDeleteSession = "gosline_staff_delete_session";
constexpr const char* kDeleteUserSessions = "gosline_staff_delete_user_sessions";
constexpr const char* kAddApiKey = "gosline_staff_add_api_key";
constexpr const char* kFindApiKey = "gosline_staff_find_api_key";
constexpr const char* kRevokeApiKey = "gosline_staff_revoke_api_key";

constexpr std::string_view kUserColumns =
    "id, login, display_name, role, password_hash, totp_secret, totp_pending, totp_last_step, "
    "recovery_hashes, disabled, failed_logins, password_temporary";

// Recovery hashes are hex, so a space separates them unambiguously (as in
// the SQLite engine's column).
std::vector<std::string> SplitHashes(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinHashes(const std::vector<std::string>& hashes) {
  std::string out;
  for (const std::string& h : hashes) {
    if (!out.empty()) out += ' ';
    out += h;
  }
  return out;
}

template <typename T>
std::optional<T> Optional(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

StaffUser RowToUser(const pqxx::row& r) {
  StaffUser u;
  u.id = r[0].as<int64_t>();
  u.login = r[1].as<std::string>();
  u.display_name = r[2].as<std::string>();
  u.role = r[3].as<std::string>();
  u.password_hash = r[4].as<std::string>();
  u.totp_secret = Optional<std::string>(r[5]);
  u.totp_pending = Optional<std::string>(r[6]);
  u.totp_last_step = Optional<int64_t>(r[7]);
  u.recovery_hashes = SplitHashes(r[8].as<std::string>());
  u.disabled = r[9].as<bool>();
  u.failed_logins = r[10].as<int>();
  u.password_temporary = r[11].as<bool>();
  return u;
}

}  // namespace

PostgresStaffStore::PostgresStaffStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  const std::string columns(kUserColumns);
  // $2..$10: the columns INSERT and UPDATE write alike ($1 is the login or the id).
  pool.Prepare(kAddUser,
               "INSERT INTO users (login, display_name, role, password_hash, totp_secret, "
               "totp_pending, totp_last_step, recovery_hashes, disabled, failed_logins, "
               "created_at_ms, password_temporary) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
               "ON CONFLICT (login) DO NOTHING RETURNING id");
  pool.Prepare(kUserByLogin, "SELECT " + columns + " FROM users WHERE login = $1");
  pool.Prepare(kUserById, "SELECT " + columns + " FROM users WHERE id = $1");
  pool.Prepare(kUpdateUser,
               "UPDATE users SET display_name = $2, role = $3, password_hash = $4, "
               "totp_secret = $5, totp_pending = $6, totp_last_step = $7, recovery_hashes = $8, "
               "disabled = $9, failed_logins = $10, password_temporary = $11 WHERE id = $1");
  pool.Prepare(kListUsers, "SELECT " + columns + " FROM users ORDER BY login");
  pool.Prepare(kAddSession,
               "INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_ms) "
               "VALUES ($1, $2, $3, $4)");
  pool.Prepare(kFindSession,
               "SELECT token_hash, user_id, created_at_ms, last_seen_ms FROM sessions "
               "WHERE token_hash = $1");
  // GREATEST: two nodes touching one session at once never move it back.
  pool.Prepare(kTouchSession,
               "UPDATE sessions SET last_seen_ms = GREATEST(last_seen_ms, $2) "
               "WHERE token_hash = $1");
  pool.Prepare(kDeleteSession, "DELETE FROM sessions WHERE token_hash = $1");
  pool.Prepare(kDeleteUserSessions, "DELETE FROM sessions WHERE user_id = $1");
  pool.Prepare(kAddApiKey,
               "INSERT INTO api_keys (id, name, secret_hash, scopes, revoked, created_at_ms) "
               "VALUES ($1, $2, $3, $4, $5, $6)");
  pool.Prepare(kFindApiKey,
               "SELECT id, name, secret_hash, scopes, revoked FROM api_keys WHERE id = $1");
  pool.Prepare(kRevokeApiKey, "UPDATE api_keys SET revoked = TRUE WHERE id = $1");
}

template <typename Param>
Result<StaffUser> PostgresStaffStore::OneUser(const char* name, const Param& param) {
  std::optional<StaffUser> user;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result rows = tx.exec_prepared(name, param);
    user = rows.empty() ? std::nullopt : std::optional<StaffUser>(RowToUser(rows[0]));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!user) return Status::NotFound("no such user");
  return std::move(*user);
}

template <typename... Params>
Status PostgresStaffStore::WriteOne(const char* missing, const char* name,
                                    const Params&... params) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result r = tx.exec_prepared(name, params...);
    if (missing != nullptr && r.affected_rows() == 0) return Status::NotFound(missing);
    return Status::Ok();
  });
}

Result<int64_t> PostgresStaffStore::AddUser(const StaffUser& u, Time now) {
  std::optional<int64_t> id;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result rows = tx.exec_prepared(
        kAddUser, u.login, u.display_name, u.role, u.password_hash, u.totp_secret,
        u.totp_pending, u.totp_last_step, JoinHashes(u.recovery_hashes), u.disabled,
        u.failed_logins, ToUnixMillis(now), u.password_temporary);
    id = rows.empty() ? std::nullopt : std::optional<int64_t>(rows[0][0].as<int64_t>());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!id) return Status::AlreadyExists("a user with this login exists", "login");
  return *id;
}

Result<StaffUser> PostgresStaffStore::FindUser(std::string_view login) {
  return OneUser(kUserByLogin, std::string(login));
}

Result<StaffUser> PostgresStaffStore::FindUserById(int64_t id) { return OneUser(kUserById, id); }

Status PostgresStaffStore::UpdateUser(const StaffUser& u) {
  return WriteOne("no such user", kUpdateUser, u.id, u.display_name, u.role, u.password_hash,
                  u.totp_secret, u.totp_pending, u.totp_last_step, JoinHashes(u.recovery_hashes),
                  u.disabled, u.failed_logins, u.password_temporary);
}

Result<std::vector<StaffUser>> PostgresStaffStore::ListUsers() {
  std::vector<StaffUser> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(kListUsers)) out.push_back(RowToUser(row));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status PostgresStaffStore::AddSession(const StoredSession& s) {
  return WriteOne(nullptr, kAddSession, s.token_hash, s.user_id, ToUnixMillis(s.created_at),
                  ToUnixMillis(s.last_seen_at));
}

Result<StoredSession> PostgresStaffStore::FindSession(std::string_view token_hash) {
  std::optional<StoredSession> session;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result rows = tx.exec_prepared(kFindSession, std::string(token_hash));
    session.reset();
    if (rows.empty()) return Status::Ok();
    StoredSession s;
    s.token_hash = rows[0][0].as<std::string>();
    s.user_id = rows[0][1].as<int64_t>();
    s.created_at = FromUnixMillis(rows[0][2].as<int64_t>());
    s.last_seen_at = FromUnixMillis(rows[0][3].as<int64_t>());
    session = std::move(s);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!session) return Status::NotFound("no such session");
  return std::move(*session);
}

Status PostgresStaffStore::TouchSession(std::string_view token_hash, Time at) {
  return WriteOne(nullptr, kTouchSession, std::string(token_hash), ToUnixMillis(at));
}

Status PostgresStaffStore::DeleteSession(std::string_view token_hash) {
  return WriteOne(nullptr, kDeleteSession, std::string(token_hash));
}

Status PostgresStaffStore::DeleteUserSessions(int64_t user_id) {
  return WriteOne(nullptr, kDeleteUserSessions, user_id);
}

Status PostgresStaffStore::AddApiKey(const StoredApiKey& k, Time now) {
  return WriteOne(nullptr, kAddApiKey, k.id, k.name, k.secret_hash, k.scopes, k.revoked,
                  ToUnixMillis(now));
}

Result<StoredApiKey> PostgresStaffStore::FindApiKey(std::string_view id) {
  std::optional<StoredApiKey> key;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result rows = tx.exec_prepared(kFindApiKey, std::string(id));
    key.reset();
    if (rows.empty()) return Status::Ok();
    StoredApiKey k;
    k.id = rows[0][0].as<std::string>();
    k.name = rows[0][1].as<std::string>();
    k.secret_hash = rows[0][2].as<std::string>();
    k.scopes = rows[0][3].as<std::string>();
    k.revoked = rows[0][4].as<bool>();
    key = std::move(k);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!key) return Status::NotFound("no such API key");
  return std::move(*key);
}

Status PostgresStaffStore::RevokeApiKey(std::string_view id) {
  return WriteOne("no such API key", kRevokeApiKey, std::string(id));
}

}  // namespace gosline
