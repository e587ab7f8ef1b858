#include "storage/postgres/postgres_leader_lease.h"

#include <exception>
#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

// One lock for the line's routing leadership (the database is the line's).
constexpr const char* kTryLock =
    "SELECT pg_try_advisory_lock(hashtext('gosline.routing_leader'))";

// Dead peers are found by TCP keepalives (and unacknowledged data) within
// about 5 s; ignored on a unix socket, where the kernel tells at once.
constexpr const char* kKeepalives =
    "SET tcp_keepalives_idle = 1; SET tcp_keepalives_interval = 1; "
    "SET tcp_keepalives_count = 3; SET tcp_user_timeout = 4000";

}  // namespace

PostgresLeaderLease::PostgresLeaderLease(std::shared_ptr<PostgresDatabase> db, std::string node_id)
    : db_(std::move(db)), node_id_(std::move(node_id)) {}

PostgresLeaderLease::~PostgresLeaderLease() { Release(); }

Status PostgresLeaderLease::Connect() {
  if (conn_ != nullptr && conn_->is_open()) return Status::Ok();
  conn_.reset();
  GOSLINE_ASSIGN_OR_RETURN(conn_, db_->pool().ConnectDedicated());
  try {
    pqxx::nontransaction tx(*conn_);
    tx.exec(kKeepalives);
  } catch (const std::exception& e) {
    conn_.reset();
    return Status::Unavailable(std::string("postgres: leader lease session: ") + e.what());
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> PostgresLeaderLease::TryAcquire() {
  if (held_) return Status::FailedPrecondition("the leader lease is already held");
  GOSLINE_RETURN_IF_ERROR(Connect());
  try {
    pqxx::nontransaction lock(*conn_);
    if (!lock.exec1(kTryLock)[0].as<bool>()) return std::optional<int64_t>();
    lock.commit();
    // The term is raised under the lock, so terms only grow and each
    // belongs to one leader; decisions of an older term are refused.
    pqxx::work tx(*conn_);
    const int64_t term =
        tx.exec_params1(
              "UPDATE cluster_leader SET term = term + 1, node_id = $1, since = now() "
              "WHERE id = 1 RETURNING term",
              node_id_)[0]
            .as<int64_t>();
    tx.commit();
    backend_pid_ = conn_->backendpid();
    held_ = true;
    return std::optional<int64_t>(term);
  } catch (const std::exception& e) {
    // The lock, if taken, goes with the session: drop it.
    conn_.reset();
    return Status::Unavailable(std::string("postgres: leader lease: ") + e.what());
  }
}

Status PostgresLeaderLease::Check(int64_t term) {
  if (!held_ || conn_ == nullptr) return Status::FailedPrecondition("not the routing leader");
  // Asked on a pooled connection, not on the lease's: nothing is ever sent
  // on a session that may be gone. The server says whether that session
  // still holds the lock and whether the term is still ours.
  bool holds = false;
  int64_t current = 0;
  Status st = db_->pool().Run(postgres::ConnectionPool::Access::kRead,
                              [&](pqxx::transaction_base& tx) -> Status {
    holds = !tx.exec_params("SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' "
                            "AND granted",
                            backend_pid_)
                 .empty();
    current = tx.exec1("SELECT term FROM cluster_leader WHERE id = 1")[0].as<int64_t>();
    return Status::Ok();
  });
  if (!st.ok()) {
    // Cannot tell that we still lead: another node may. Stop deciding.
    Release();
    return Status::FailedPrecondition("routing leadership cannot be confirmed: " + st.ToString());
  }
  if (!holds || current != term) {
    Release();
    return Status::FailedPrecondition("routing leadership lost (term " + std::to_string(term) +
                                      ", the line's term now " + std::to_string(current) + ")");
  }
  return Status::Ok();
}

void PostgresLeaderLease::Release() {
  held_ = false;
  // Ending the session releases the lock; nothing is sent on a session
  // that may already be gone.
  conn_.reset();
}

}  // namespace gosline
