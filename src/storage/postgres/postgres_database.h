// One PostgreSQL database opened by this process: its connection pool, its
// schema brought up to date, and the data key checked against it (R22). The
// PostgreSQL stores are views on one PostgresDatabase, so a node keeps one
// small pool however many stores it opens (several nodes share the
// database: R4, R11). Thread-safe: the pool serialises the use of each
// connection; the rest is immutable after Open.
#pragma once

#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/row_cipher.h"

namespace gosline::postgres {
class ConnectionPool;
}  // namespace gosline::postgres

namespace gosline {

struct PostgresOptions {
  std::string conninfo;  // libpq connection string, without the password
  std::string password;  // from storage.postgres.password_file; empty: none
  int max_connections = 8;
  // Encryption at rest, as for SQLite (row_cipher.h): null keeps clear text,
  // and is refused for a database that holds a key check.
  std::shared_ptr<const RowCipher> cipher = nullptr;
};

class PostgresDatabase {
 public:
  // Connects, checks the data key, applies pending migrations (migrated_at
  // is recorded with them) and, with a key, stores its check. Refuses a
  // database of a newer gosline, a wrong key, and a database that holds
  // cases in clear when opened with a key (they would not be found by phone).
  static Result<std::shared_ptr<PostgresDatabase>> Open(PostgresOptions options, Time migrated_at);
  ~PostgresDatabase();

  postgres::ConnectionPool& pool() const { return *pool_; }
  const RowCipher* cipher() const { return cipher_.get(); }

 private:
  PostgresDatabase(std::unique_ptr<postgres::ConnectionPool> pool,
                   std::shared_ptr<const RowCipher> cipher);

  std::unique_ptr<postgres::ConnectionPool> pool_;
  std::shared_ptr<const RowCipher> cipher_;
};

}  // namespace gosline
