#include "cli/cli_context.h"

#include <filesystem>

#include "cli/keys_command.h"
#include "cli/postgres_registry.h"
#include "cli/security_context.h"
#include "config/config_loader.h"
#include "storage/postgres/postgres_case_store.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::cli {

std::optional<Config> LoadConfigOrReport(const std::string& path, std::ostream& err) {
  ConfigLoadResult loaded = LoadConfigFile(path);
  if (loaded.ok()) return std::move(loaded.config);
  for (const ConfigError& e : loaded.errors) err << e.ToString() << "\n";
  err << path << ": " << loaded.errors.size() << " error(s)\n";
  return std::nullopt;
}

Result<std::unique_ptr<CaseStore>> OpenCaseStore(const StorageConfig& storage, bool must_exist,
                                                  std::shared_ptr<const RowCipher> cipher) {
  if (storage.driver == "postgres") {
    GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db,
                             OpenPostgresRegistry(storage, std::move(cipher)));
    return std::unique_ptr<CaseStore>(std::make_unique<PostgresCaseStore>(std::move(db)));
  }
  if (storage.driver != "sqlite") {
    return Status::FailedPrecondition("storage driver '" + storage.driver + "' is unknown");
  }
  SqliteOptions opts;
  if (auto sync = ParseSqliteSync(storage.synchronous)) opts.synchronous = *sync;
  opts.cipher = std::move(cipher);
  const std::filesystem::path path(storage.path);
  std::error_code ec;
  if (must_exist && !std::filesystem::exists(path, ec)) {
    return Status::NotFound("no case registry at " + storage.path);
  }
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCaseStore> store,
      SqliteCaseStore::Open(storage.path, opts));
  return std::unique_ptr<CaseStore>(std::move(store));
}

std::optional<CliRegistry> OpenRegistry(const CliContext& ctx, std::ostream& err, bool must_exist) {
  std::optional<Config> config = LoadConfigOrReport(ctx.config_path, err);
  if (!config) return std::nullopt;
  if (!ctx.db_path.empty()) config->storage.path = ctx.db_path;
  // The same data key as serve (R22): personal data stays encrypted at rest.
  if (config->security.create_key_if_missing && !config->security.key_file.empty()) {
    Result<bool> created = CreateKeyFileIfMissing(config->security.key_file);
    if (!created.ok()) {
      err << "data key " << config->security.key_file << ": " << created.status().message() << "\n";
      return std::nullopt;
    }
  }
  Result<std::shared_ptr<const RowCipher>> cipher = DataCipherFor(*config);
  if (!cipher.ok()) {
    err << "data key " << config->security.key_file << ": " << cipher.status().message() << "\n";
    return std::nullopt;
  }
  Result<std::unique_ptr<CaseStore>> store =
      OpenCaseStore(config->storage, must_exist, std::move(cipher).value());
  if (!store.ok()) {
    err << "cannot open the case registry " << config->storage.path << ": "
        << store.status().message() << "\n";
    return std::nullopt;
  }
  return CliRegistry{std::move(*config), std::move(store).value()};
}

}  // namespace gosline::cli
