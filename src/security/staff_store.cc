#include "security/staff_store.h"

#include <sqlite3.h>

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::security {
namespace {

using sqlite::SqliteConnection;
using sqlite::Statement;

constexpr std::string_view kUserColumns =
    "id, login, display_name, role, password_hash, totp_secret, totp_pending, totp_last_step, "
    "recovery_hashes, disabled, failed_logins, password_temporary";

// Recovery hashes are hex, so a space separates them unambiguously.
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

// ?2..?10 and ?12, the columns INSERT and UPDATE write alike (?1 is the login or the id).
void BindUserColumns(Statement& st, const StaffUser& u) {
  st.Bind(2, std::string_view(u.display_name));
  st.Bind(3, std::string_view(u.role));
  st.Bind(4, std::string_view(u.password_hash));
  st.Bind(5, u.totp_secret);
  st.Bind(6, u.totp_pending);
  st.Bind(7, u.totp_last_step);
  st.Bind(8, std::string_view(JoinHashes(u.recovery_hashes)));
  st.Bind(9, int64_t{u.disabled ? 1 : 0});
  st.Bind(10, int64_t{u.failed_logins});
  st.Bind(12, int64_t{u.password_temporary ? 1 : 0});
}

StaffUser RowToUser(const Statement& s) {
  StaffUser u;
  u.id = s.ColumnInt64(0);
  u.login = s.ColumnText(1);
  u.display_name = s.ColumnText(2);
  u.role = s.ColumnText(3);
  u.password_hash = s.ColumnText(4);
  u.totp_secret = s.ColumnOptionalText(5);
  u.totp_pending = s.ColumnOptionalText(6);
  u.totp_last_step = s.ColumnOptionalInt64(7);
  u.recovery_hashes = SplitHashes(s.ColumnText(8));
  u.disabled = s.ColumnInt64(9) != 0;
  u.failed_logins = static_cast<int>(s.ColumnInt64(10));
  u.password_temporary = s.ColumnInt64(11) != 0;
  return u;
}

Result<StaffUser> OneUser(SqliteConnection& conn, std::string_view where, auto bind) {
  Result<Statement> st =
      conn.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(where));
  if (!st.ok()) return st.status();
  bind(*st);
  GOSLINE_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return Status::NotFound("no such user");
  return RowToUser(*st);
}

}  // namespace

SqliteStaffStore::SqliteStaffStore(std::unique_ptr<SqliteConnection> conn) : conn_(std::move(conn)) {}
SqliteStaffStore::~SqliteStaffStore() = default;

Result<std::unique_ptr<SqliteStaffStore>> SqliteStaffStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn,
      SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteStaffStore>(new SqliteStaffStore(std::move(conn)));
}

Result<int64_t> SqliteStaffStore::AddUser(const StaffUser& u, Time now) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO users (login, display_name, role, password_hash, totp_secret, totp_pending, "
      "totp_last_step, recovery_hashes, disabled, failed_logins, created_at_ms, password_temporary) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (login) DO NOTHING"));
  st.Bind(1, std::string_view(u.login));
  BindUserColumns(st, u);
  st.Bind(11, ToUnixMillis(now));
  GOSLINE_RETURN_IF_ERROR(st.Run());
  if (conn_->changes() == 0) return Status::AlreadyExists("a user with this login exists", "login");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(conn_->handle()));
}

Result<StaffUser> SqliteStaffStore::FindUser(std::string_view login) {
  MutexLock lock(mu_);
  return OneUser(*conn_, "login = ?1", [&](Statement& s) { s.Bind(1, login); });
}

Result<StaffUser> SqliteStaffStore::FindUserById(int64_t id) {
  MutexLock lock(mu_);
  return OneUser(*conn_, "id = ?1", [&](Statement& s) { s.Bind(1, id); });
}

Status SqliteStaffStore::UpdateUser(const StaffUser& u) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE users SET display_name = ?2, role = ?3, password_hash = ?4, totp_secret = ?5, "
      "totp_pending = ?6, totp_last_step = ?7, recovery_hashes = ?8, disabled = ?9, "
      "failed_logins = ?10, password_temporary = ?12 WHERE id = ?1"));
  st.Bind(1, u.id);
  BindUserColumns(st, u);
  GOSLINE_RETURN_IF_ERROR(st.Run());
  if (conn_->changes() == 0) return Status::NotFound("no such user");
  return Status::Ok();
}

Result<std::vector<StaffUser>> SqliteStaffStore::ListUsers() {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st,
      conn_->Prepare("SELECT " + std::string(kUserColumns) + " FROM users ORDER BY login"));
  std::vector<StaffUser> out;
  for (int i = 0; i < 1'000'000; ++i) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(RowToUser(st));
  }
  return out;
}

Status SqliteStaffStore::AddSession(const StoredSession& s) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_ms) "
      "VALUES (?1, ?2, ?3, ?4)"));
  st.Bind(1, std::string_view(s.token_hash));
  st.Bind(2, s.user_id);
  st.Bind(3, ToUnixMillis(s.created_at));
  st.Bind(4, ToUnixMillis(s.last_seen_at));
  return st.Run();
}

Result<StoredSession> SqliteStaffStore::FindSession(std::string_view token_hash) {
  MutexLock lock(mu_);
  Result<Statement> st = conn_->Prepare(
      "SELECT token_hash, user_id, created_at_ms, last_seen_ms FROM sessions WHERE token_hash = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, token_hash);
  GOSLINE_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return Status::NotFound("no such session");
  StoredSession s;
  s.token_hash = st->ColumnText(0);
  s.user_id = st->ColumnInt64(1);
  s.created_at = FromUnixMillis(st->ColumnInt64(2));
  s.last_seen_at = FromUnixMillis(st->ColumnInt64(3));
  return s;
}

Status SqliteStaffStore::TouchSession(std::string_view token_hash, Time at) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st,
      conn_->Prepare("UPDATE sessions SET last_seen_ms = ?2 WHERE token_hash = ?1"));
  st.Bind(1, token_hash);
  st.Bind(2, ToUnixMillis(at));
  return st.Run();
}

Status SqliteStaffStore::DeleteSession(std::string_view token_hash) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st,
      conn_->Prepare("DELETE FROM sessions WHERE token_hash = ?1"));
  st.Bind(1, token_hash);
  return st.Run();
}

Status SqliteStaffStore::DeleteUserSessions(int64_t user_id) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare("DELETE FROM sessions WHERE user_id = ?1"));
  st.Bind(1, user_id);
  return st.Run();
}

Status SqliteStaffStore::AddApiKey(const StoredApiKey& k, Time now) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO api_keys (id, name, secret_hash, scopes, revoked, created_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st.Bind(1, std::string_view(k.id));
  st.Bind(2, std::string_view(k.name));
  st.Bind(3, std::string_view(k.secret_hash));
  st.Bind(4, std::string_view(k.scopes));
  st.Bind(5, int64_t{k.revoked ? 1 : 0});
  st.Bind(6, ToUnixMillis(now));
  return st.Run();
}

Result<StoredApiKey> SqliteStaffStore::FindApiKey(std::string_view id) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT id, name, secret_hash, scopes, revoked FROM api_keys WHERE id = ?1"));
  st.Bind(1, id);
  GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("no such API key");
  StoredApiKey k;
  k.id = st.ColumnText(0);
  k.name = st.ColumnText(1);
  k.secret_hash = st.ColumnText(2);
  k.scopes = st.ColumnText(3);
  k.revoked = st.ColumnInt64(4) != 0;
  return k;
}

Status SqliteStaffStore::RevokeApiKey(std::string_view id) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st,
      conn_->Prepare("UPDATE api_keys SET revoked = 1 WHERE id = ?1"));
  st.Bind(1, id);
  GOSLINE_RETURN_IF_ERROR(st.Run());
  if (conn_->changes() == 0) return Status::NotFound("no such API key");
  return Status::Ok();
}

}  // namespace gosline::security
