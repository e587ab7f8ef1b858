// The routing leadership (storage/cluster_store.h LeaderLease) on
// PostgreSQL: a session-level advisory lock taken on a connection of its
// own. The server releases it when that session ends, however it ends (the
// node killed, its connection cut, pg_terminate_backend), so a standby's
// next TryAcquire gets it. The session asks the server to probe its TCP
// connection every second, so a leader whose host vanished loses the lock
// within a few seconds instead of the system's two hours.
//
// Whoever takes the lock raises the term in cluster_leader in the same
// session; decisions are written under that term (PostgresClusterStore).
//
// Threads: one at a time (the connection is not thread safe).
#pragma once

#include <pqxx/pqxx>

#include <memory>
#include <optional>
#include <string>

#include "storage/cluster_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresLeaderLease final : public LeaderLease {
 public:
  PostgresLeaderLease(std::shared_ptr<PostgresDatabase> db, std::string node_id);
  ~PostgresLeaderLease() override;

  Result<std::optional<int64_t>> TryAcquire() override;
  Status Check(int64_t term) override;
  void Release() override;

 private:
  Status Connect();

  const std::shared_ptr<PostgresDatabase> db_;
  const std::string node_id_;
  std::unique_ptr<pqxx::connection> conn_;  // holds the lock while this node leads
  int backend_pid_ = 0;  // the lease session's server process
  bool held_ = false;
};

}  // namespace gosline
