// The line's configuration versions (storage/config_version_store.h) on
// PostgreSQL: one row per version in config_versions, the version number its
// primary key, so two nodes appending the same number cannot both commit.
// Thread-safe: each call is one transaction on a pooled connection.
#pragma once

#include <memory>
#include <optional>

#include "storage/config_version_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresConfigVersionStore final : public ConfigVersionStore {
 public:
  explicit PostgresConfigVersionStore(std::shared_ptr<PostgresDatabase> db);

  Status Append(const ConfigVersion& v) override;
  Result<std::optional<ConfigVersion>> Latest() override;

 private:
  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
