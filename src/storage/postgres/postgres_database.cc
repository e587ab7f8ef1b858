#include "storage/postgres/postgres_database.h"

#include <optional>
#include <utility>

#include "storage/postgres/connection_pool.h"
#include "storage/postgres/migrations.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;

// The stored key check, if the table and its row exist.
Result<std::optional<std::string>> ReadKeyCheck(ConnectionPool& pool) {
  std::optional<std::string> value;
  Status st = pool.Run(ConnectionPool::Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    value.reset();
    if (tx.exec1("SELECT to_regclass('data_key_check') IS NOT NULL")[0].as<bool>()) {
      pqxx::result r = tx.exec("SELECT value FROM data_key_check WHERE id = 1");
      if (!r.empty()) value = r[0][0].as<std::string>();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return value;
}

Status VerifyKey(const std::optional<std::string>& check, const RowCipher* cipher) {
  if (!check) return Status::Ok();
  if (cipher == nullptr) {
    return Status::FailedPrecondition(
        "this database holds encrypted personal data but was opened without a data key "
        "(set security.key_file or GOSLINE_DATA_KEY); nothing was read or changed");
  }
  Status st = cipher->VerifyKeyCheck(*check);
  if (st.ok()) return st;
  return Status::FailedPrecondition("the data key from " + cipher->source() +
                                    " does not open this database: " + st.message());
}

// With a key and no check yet: stores this key's check. Two nodes starting
// at once with different keys both insert; one wins, the other is refused
// by the verification that follows.
Status StoreKeyCheck(ConnectionPool& pool, const RowCipher& cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::string value, cipher.MakeKeyCheck());
  Status stored =
      pool.Run(ConnectionPool::Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
        pqxx::result r = tx.exec_params(
            "INSERT INTO data_key_check (id, value) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
            value);
        if (r.affected_rows() == 0) return Status::Ok();  // another node got there first
        // Rows written before there was a key stay in clear and their phone
        // hash column holds the phone: refuse rather than lose them to lookups.
        if (tx.exec1("SELECT EXISTS (SELECT 1 FROM cases)")[0].as<bool>()) {
          return Status::FailedPrecondition(
              "this PostgreSQL database holds cases written without a data key; sealing them "
              "is done by the SQLite engine only: export, then import into a fresh database");
        }
        return Status::Ok();
      });
  if (!stored.ok()) return stored;
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> check, ReadKeyCheck(pool));
  return VerifyKey(check, &cipher);
}

// Call records written before call_records.digits was sealed (R22) keep
// the keys in clear: sealed here, in batches, at every keyed open until none
// is left (a start after the upgrade does it once).
Status SealClearDigits(ConnectionPool& pool, const RowCipher& cipher) {
  constexpr int kBatch = 500;
  for (int round = 0; round < 1'000'000; ++round) {
    int64_t sealed = 0;
    Status st = pool.Run(ConnectionPool::Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
      sealed = 0;
      pqxx::result rows = tx.exec_params(
          "SELECT id, call_id, started_at_ms, digits FROM call_records "
          "WHERE digits NOT LIKE 'gse1.%' ORDER BY id LIMIT $1 FOR UPDATE",
          kBatch);
      for (const pqxx::row& row : rows) {
        Result<std::string> value = cipher.Seal(
            row[3].as<std::string>(),
            SealedCallRecordContext("digits", row[1].as<std::string>(), row[2].as<int64_t>()));
        if (!value.ok()) return value.status();
        tx.exec_params("UPDATE call_records SET digits = $1 WHERE id = $2", *value,
                       row[0].as<int64_t>());
        ++sealed;
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
    if (sealed < kBatch) return Status::Ok();
  }
  return Status::Internal("call_records.digits: sealing did not finish");
}

}  // namespace

PostgresDatabase::PostgresDatabase(std::unique_ptr<ConnectionPool> pool,
                                   std::shared_ptr<const RowCipher> cipher)
    : pool_(std::move(pool)), cipher_(std::move(cipher)) {}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::shared_ptr<PostgresDatabase>> PostgresDatabase::Open(PostgresOptions options,
                                                                 Time migrated_at) {
  postgres::PoolOptions pool_opts;
  pool_opts.conninfo = std::move(options.conninfo);
  pool_opts.password = std::move(options.password);
  pool_opts.max_connections = options.max_connections;
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool,
                           ConnectionPool::Open(std::move(pool_opts)));
  // The key is checked before migrations: a wrong one changes nothing.
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> check, ReadKeyCheck(*pool));
  GOSLINE_RETURN_IF_ERROR(VerifyKey(check, options.cipher.get()));
  GOSLINE_RETURN_IF_ERROR(postgres::ApplyMigrations(*pool, migrated_at));
  if (options.cipher && !check) GOSLINE_RETURN_IF_ERROR(StoreKeyCheck(*pool, *options.cipher));
  if (options.cipher) GOSLINE_RETURN_IF_ERROR(SealClearDigits(*pool, *options.cipher));
  return std::shared_ptr<PostgresDatabase>(
      new PostgresDatabase(std::move(pool), std::move(options.cipher)));
}

}  // namespace gosline
