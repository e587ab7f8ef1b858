#include "storage/sqlite/sqlite_idempotency_store.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

SqliteIdempotencyStore::SqliteIdempotencyStore(std::unique_ptr<SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteIdempotencyStore::~SqliteIdempotencyStore() = default;

Result<std::unique_ptr<SqliteIdempotencyStore>> SqliteIdempotencyStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteIdempotencyStore>(new SqliteIdempotencyStore(std::move(conn)));
}

Result<std::optional<IdempotencyRecord>> SqliteIdempotencyStore::Claim(
    const std::string& scope, const std::string& key, const std::string& request_hash, Time now,
    Time expired_before) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement drop, conn_->Prepare(
        "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND created_at_ms < ?3"));
    drop.Bind(1, std::string_view(scope));
    drop.Bind(2, std::string_view(key));
    drop.Bind(3, ToUnixMillis(expired_before));
    GOSLINE_RETURN_IF_ERROR(drop.Run());
  }
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement claim, conn_->Prepare(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, body, "
        "location, created_at_ms) VALUES (?1, ?2, ?3, 0, '', '', '', ?4) ON CONFLICT DO NOTHING"));
    claim.Bind(1, std::string_view(scope));
    claim.Bind(2, std::string_view(key));
    claim.Bind(3, std::string_view(request_hash));
    claim.Bind(4, ToUnixMillis(now));
    GOSLINE_RETURN_IF_ERROR(claim.Run());
  }
  if (conn_->changes() == 1) {
    GOSLINE_RETURN_IF_ERROR(tx.Commit());
    return std::optional<IdempotencyRecord>();
  }
  GOSLINE_ASSIGN_OR_RETURN(Statement read, conn_->Prepare(
      "SELECT request_hash, status, content_type, body, location, created_at_ms "
      "FROM idempotency_keys WHERE scope = ?1 AND key = ?2"));
  read.Bind(1, std::string_view(scope));
  read.Bind(2, std::string_view(key));
  GOSLINE_ASSIGN_OR_RETURN(bool row, read.Step());
  if (!row) return Status::Internal("idempotency key vanished inside its transaction");
  IdempotencyRecord record;
  record.request_hash = read.ColumnText(0);
  if (const int64_t status = read.ColumnInt64(1); status != 0) {
    record.response = StoredResponse{static_cast<int>(status), read.ColumnText(2),
                                     read.ColumnText(3), read.ColumnText(4)};
  }
  record.created_at = FromUnixMillis(read.ColumnInt64(5));
  return std::optional<IdempotencyRecord>(std::move(record));
}

Status SqliteIdempotencyStore::Complete(const std::string& scope, const std::string& key,
                                        const StoredResponse& response) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5, location = ?6 "
      "WHERE scope = ?1 AND key = ?2"));
  st.Bind(1, std::string_view(scope));
  st.Bind(2, std::string_view(key));
  st.Bind(3, static_cast<int64_t>(response.status));
  st.Bind(4, std::string_view(response.content_type));
  st.Bind(5, std::string_view(response.body));
  st.Bind(6, std::string_view(response.location));
  return st.Run();
}

Status SqliteIdempotencyStore::Release(const std::string& scope, const std::string& key) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND status = 0"));
  st.Bind(1, std::string_view(scope));
  st.Bind(2, std::string_view(key));
  return st.Run();
}

Result<int64_t> SqliteIdempotencyStore::Purge(Time expired_before) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "DELETE FROM idempotency_keys WHERE created_at_ms < ?1"));
  st.Bind(1, ToUnixMillis(expired_before));
  GOSLINE_RETURN_IF_ERROR(st.Run());
  return conn_->changes();
}

}  // namespace gosline
