// The nodes' shared queue tables (storage/cluster_store.h) on PostgreSQL:
// migration 5's cluster_* tables. Writes are transactions on the pooled
// connections; each write another node must see sends a NOTIFY on
// gosline_cluster (payload: "events", or "decisions:<node id>"), which
// WaitForChange listens to on a connection of its own.
//
// Fencing: a leader's transaction first reads cluster_leader FOR SHARE and
// refuses to go on under another term. The share lock makes a new leader's
// term raise wait for that transaction, and a raise committed before is
// seen, so no decision of an old term is stored after a new term began.
//
// Threads: writes from any thread; WaitForChange from one thread at a time.
#pragma once

#include <pqxx/pqxx>

#include <memory>
#include <string>
#include <vector>

#include "core/common/thread_annotations.h"
#include "storage/cluster_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresClusterStore final : public ClusterStore {
 public:
  // `node_id`: whose decisions WaitForChange waits for.
  PostgresClusterStore(std::shared_ptr<PostgresDatabase> db, std::string node_id);
  ~PostgresClusterStore() override;

  Status Heartbeat(const std::string& node_id) override;
  Result<int64_t> AddCall(ClusterCall call, Time at) override;
  Status ReportCallEvent(const std::string& node_id, int64_t call, const std::string& kind,
                         std::vector<std::string> fields, Time at) override;
  Status SetOperatorState(const OperatorStateRow& row, const std::string& node_id) override;
  Result<std::vector<ClusterDecision>> TakeDecisions(const std::string& node_id) override;
  Result<bool> WaitForChange(Duration max) override;

  Result<ClusterSnapshot> TakeSnapshot(int64_t term) override;
  Result<std::vector<ClusterEvent>> TakeEvents(int64_t term) override;
  Status Decide(int64_t term, ClusterDecision decision) override;
  Result<std::vector<int64_t>> RemoveCallsOfDeadNodes(int64_t term, Duration timeout) override;

 private:
  class Listener;
  Result<ClusterCall> ReadCall(const pqxx::row& row) const;

  const std::shared_ptr<PostgresDatabase> db_;
  const std::string node_id_;
  Mutex listen_mu_;  // one WaitForChange at a time
  std::unique_ptr<pqxx::connection> listen_conn_ GOSLINE_GUARDED_BY(listen_mu_);
  std::unique_ptr<Listener> listener_ GOSLINE_GUARDED_BY(listen_mu_);  // on listen_conn_
};

}  // namespace gosline
