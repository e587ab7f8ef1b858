#include "storage/postgres/postgres_idempotency_store.h"

#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kDropExpired = "gosline_idem_drop_expired";
constexpr const char* kClaim = "gosline_idem_claim";
constexpr const char* kRead = "gosline_idem_read";
constexpr const char* kComplete = "gosline_idem_complete";
constexpr const char* kRelease = "gosline_idem_release";
constexpr const char* kPurge = "gosline_idem_purge";

}  // namespace

PostgresIdempotencyStore::PostgresIdempotencyStore(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  pool.Prepare(kDropExpired,
               "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at_ms < $3");
  pool.Prepare(kClaim,
               "INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, body, "
               "location, created_at_ms) VALUES ($1, $2, $3, 0, '', '', '', $4) "
               "ON CONFLICT DO NOTHING");
  pool.Prepare(kRead,
               "SELECT request_hash, status, content_type, body, location, created_at_ms "
               "FROM idempotency_keys WHERE scope = $1 AND key = $2");
  pool.Prepare(kComplete,
               "UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5, location = $6 "
               "WHERE scope = $1 AND key = $2");
  pool.Prepare(kRelease, "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 0");
  pool.Prepare(kPurge, "DELETE FROM idempotency_keys WHERE created_at_ms < $1");
}

Result<std::optional<IdempotencyRecord>> PostgresIdempotencyStore::Claim(
    const std::string& scope, const std::string& key, const std::string& request_hash, Time now,
    Time expired_before) {
  std::optional<IdempotencyRecord> existing;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    existing.reset();
    tx.exec_prepared(kDropExpired, scope, key, ToUnixMillis(expired_before));
    if (tx.exec_prepared(kClaim, scope, key, request_hash, ToUnixMillis(now)).affected_rows() == 1) {
      return Status::Ok();
    }
    // Another request holds the key (READ COMMITTED: its committed row is visible).
    pqxx::result rows = tx.exec_prepared(kRead, scope, key);
    if (rows.empty()) return Status::Unavailable("idempotency key released meanwhile; retry");
    const pqxx::row r = rows[0];
    IdempotencyRecord record;
    record.request_hash = r[0].as<std::string>();
    if (const int status = r[1].as<int>(); status != 0) {
      record.response = StoredResponse{status, r[2].as<std::string>(), r[3].as<std::string>(),
                                       r[4].as<std::string>()};
    }
    record.created_at = FromUnixMillis(r[5].as<int64_t>());
    existing = std::move(record);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return existing;
}

Status PostgresIdempotencyStore::Complete(const std::string& scope, const std::string& key,
                                          const StoredResponse& response) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(kComplete, scope, key, response.status, response.content_type, response.body,
                     response.location);
    return Status::Ok();
  });
}

Status PostgresIdempotencyStore::Release(const std::string& scope, const std::string& key) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(kRelease, scope, key);
    return Status::Ok();
  });
}

Result<int64_t> PostgresIdempotencyStore::Purge(Time expired_before) {
  int64_t purged = 0;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    purged = static_cast<int64_t>(tx.exec_prepared(kPurge, ToUnixMillis(expired_before)).affected_rows());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return purged;
}

}  // namespace gosline
