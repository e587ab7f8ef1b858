#include "storage/postgres/postgres_database.h"

#include <optional>
#include <utility>

#include "storage/postgres/connection_pool.h"
#include "storage/postgres/migrations.h"

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
  return std::shared_ptr<PostgresDatabase>(
      new PostgresDatabase(std::move(pool), std::move(options.cipher)));
}

}  // namespace gosline
