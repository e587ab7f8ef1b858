#include "cli/postgres_registry.h"

#include <utility>

#include "config/postgres_password.h"
#include "core/common/system_clock.h"

namespace gosline::cli {

Result<std::shared_ptr<PostgresDatabase>> OpenPostgresRegistry(
    const StorageConfig& storage, std::shared_ptr<const RowCipher> cipher) {
  PostgresOptions opts;
  opts.conninfo = storage.postgres.conninfo;
  opts.max_connections = storage.postgres.max_connections;
  opts.cipher = std::move(cipher);
  if (!storage.postgres.password_file.empty()) {
    Result<std::string> password = ReadPostgresPassword(storage.postgres.password_file);
    if (!password.ok()) {
      return Status::FailedPrecondition("storage.postgres.password_file: " +
                                        password.status().message());
    }
    opts.password = std::move(password).value();
  }
  return PostgresDatabase::Open(std::move(opts), SystemClock().Now());
}

std::string RegistryLocation(const StorageConfig& storage) {
  if (storage.driver == "postgres") return "postgres (" + storage.postgres.conninfo + ")";
  return storage.path;
}

}  // namespace gosline::cli
