// Versioned schema migrations for the SQLite engine. Each migration is a
// numbered SQL step applied once, in its own transaction, and recorded in
// schema_migrations (version, applied_at_ms). A database whose recorded
// version is newer than this binary knows is refused, not guessed at.
#pragma once

#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

struct Migration {
  int version;            // 1, 2, 3, ... without gaps
  std::string_view name;  // what it does, for logs and schema_migrations readers
  std::string_view sql;
};

// Every migration this binary knows, in version order.
const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

// The highest applied version (0 for a fresh database).
Result<int> CurrentSchemaVersion(SqliteConnection& conn);

// Brings the database up to LatestSchemaVersion(). Safe to run on every open
// and from several processes at once (each step re-checks under its lock).
// `applied_at` is recorded with each step applied now (the caller's clock).
Status ApplyMigrations(SqliteConnection& conn, Time applied_at);

}  // namespace gosline::sqlite
