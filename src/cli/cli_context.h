// What the commands that work on the registry share: load the configuration
// (printing every error the way check-config does) and open the case store
// it names. serve, import and export all start here.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "config/config.h"
#include "core/common/status.h"
#include "storage/case_store.h"
#include "storage/row_cipher.h"

namespace gosline::cli {

inline constexpr const char* kDefaultConfigPath = "config/gosline.yaml";

// Options every registry command takes (--config, --db).
struct CliContext {
  std::string config_path = kDefaultConfigPath;
  std::string db_path;  // overrides storage.path when not empty
};

// The configuration and the registry it names, for the length of one command.
struct CliRegistry {
  Config config;
  std::unique_ptr<CaseStore> store;
};

// Loads and validates the configuration. On errors prints each one
// ("file:line:column: message") and a count to err, and returns nullopt.
std::optional<Config> LoadConfigOrReport(const std::string& path, std::ostream& err);

// Opens the case store of storage: SQLite at storage.path (creating the file
// and its directory unless must_exist), or the PostgreSQL database of
// storage.postgres (must_exist does not apply: the database is the server's).
Result<std::unique_ptr<CaseStore>> OpenCaseStore(const StorageConfig& storage, bool must_exist,
                                                  std::shared_ptr<const RowCipher> cipher = nullptr);

// Both of the above, with ctx's overrides applied; prints what went wrong to
// err and returns nullopt.
std::optional<CliRegistry> OpenRegistry(const CliContext& ctx, std::ostream& err,
                                        bool must_exist = false);

}  // namespace gosline::cli
