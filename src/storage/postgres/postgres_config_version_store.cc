#include "storage/postgres/postgres_config_version_store.h"

#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kInsert = "gosline_config_version_insert";
constexpr const char* kLatest = "gosline_config_version_latest";

}  // namespace

PostgresConfigVersionStore::PostgresConfigVersionStore(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  pool.Prepare(kInsert,
               "INSERT INTO config_versions (version, author, changed_at_ms, document) "
               "VALUES ($1, $2, $3, $4)");
  pool.Prepare(kLatest,
               "SELECT version, author, changed_at_ms, document FROM config_versions "
               "ORDER BY version DESC LIMIT 1");
}

Status PostgresConfigVersionStore::Append(const ConfigVersion& v) {
  if (v.version < 1) return Status::InvalidArgument("configuration versions start at 1");
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(kInsert, v.version, v.author, ToUnixMillis(v.at), v.document);
    return Status::Ok();
  });
  if (st.code() == Status::Code::kAlreadyExists) {
    return Status::Conflict("configuration version " + std::to_string(v.version) +
                            " was stored by another node first");
  }
  return st;
}

Result<std::optional<ConfigVersion>> PostgresConfigVersionStore::Latest() {
  std::optional<ConfigVersion> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.reset();
    pqxx::result rows = tx.exec_prepared(kLatest);
    if (rows.empty()) return Status::Ok();
    ConfigVersion v;
    v.version = rows[0][0].as<int64_t>();
    v.author = rows[0][1].as<std::string>();
    v.at = FromUnixMillis(rows[0][2].as<int64_t>());
    v.document = rows[0][3].as<std::string>();
    out = std::move(v);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace gosline
