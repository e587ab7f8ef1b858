// Versioned schema migrations for the PostgreSQL engine, like the SQLite
// engine's (storage/sqlite/migrations.h): numbered SQL steps, each applied
// once and recorded in schema_migrations. The pending steps run in one
// transaction (PostgreSQL's DDL is transactional: all or none), under a
// transaction-level advisory lock, so nodes that start together apply each
// step exactly once whichever gets there first. A database whose version is
// newer than this binary knows is refused.
#pragma once

#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/postgres/connection_pool.h"

namespace gosline::postgres {

struct Migration {
  int version;            // 1, 2, 3, ... without gaps
  std::string_view name;  // what it does, for schema_migrations readers
  std::string_view sql;
};

const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

Result<int> CurrentSchemaVersion(ConnectionPool& pool);

// Brings the database up to LatestSchemaVersion(); applied_at is recorded
// with each step applied now (the caller's clock).
Status ApplyMigrations(ConnectionPool& pool, Time applied_at);

}  // namespace gosline::postgres
