// Opens the PostgreSQL engine from storage.postgres (storage.driver:
// postgres), for serve and the commands that work on the registry. The
// password is read from storage.postgres.password_file here, at connect
// time, and goes to libpq only; messages name the connection string, which
// holds no password (the configuration loader refuses one that does).
#pragma once

#include <memory>

#include "config/config.h"
#include "core/common/status.h"
#include "storage/postgres/postgres_database.h"
#include "storage/row_cipher.h"

namespace gosline::cli {

Result<std::shared_ptr<PostgresDatabase>> OpenPostgresRegistry(
    const StorageConfig& storage, std::shared_ptr<const RowCipher> cipher);

// Where the registry is, for logs: the SQLite file or the connection string.
std::string RegistryLocation(const StorageConfig& storage);

}  // namespace gosline::cli
