// The libpq connections of one process to its PostgreSQL database, shared by
// every PostgreSQL store of the process. Several nodes each keep such a pool
// on the same database (R4: any node serves any call); what must stay
// consistent across nodes is decided by the database, inside transactions.
//
// A pqxx::connection is not thread safe: a connection is used by one thread
// at a time, the one holding it for the length of one transaction (Run).
// Threads: any. mu_ guards the idle connections, how many exist, and the
// list of prepared statements; a connection taken out of idle_ belongs to
// the running transaction alone until it is put back.
#pragma once

#include <pqxx/pqxx>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"

namespace gosline::postgres {

struct PoolOptions {
  // libpq connection string ("host=/run/pg dbname=gosline user=gosline"),
  // without a password: it may be logged.
  std::string conninfo;
  // Sent to the server only; never logged. Empty: none (peer or trust auth).
  std::string password;
  // Most connections open at once; a transaction waits for a free one.
  int max_connections = 4;
};

class ConnectionPool {
 public:
  // Connects once, so that a wrong address or password fails the start.
  static Result<std::unique_ptr<ConnectionPool>> Open(PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Makes a named statement known to every connection (prepared on each
  // before its next transaction). Stores register theirs when they open.
  void Prepare(const std::string& name, const std::string& sql) GOSLINE_EXCLUDES(mu_);

  enum class Access {
    kWrite,  // READ COMMITTED, read-write
    kRead,   // REPEATABLE READ, read-only: one snapshot for every query of fn
  };
  // Runs fn in one transaction and commits when it returns ok (rolls back
  // otherwise). Returns ok only once the server acknowledged the COMMIT, so
  // an acknowledged write is durable. A serialization failure or deadlock,
  // or a connection lost before the commit, runs fn again on a fresh
  // transaction (a few times): fn must start from scratch each time. Library
  // exceptions become a Status: unique violation AlreadyExists, lost
  // connection Unavailable, commit outcome unknown IoError.
  Status Run(Access access, const std::function<Status(pqxx::transaction_base&)>& fn)
      GOSLINE_EXCLUDES(mu_);

  // A connection of its own, outside the pool, for a caller that keeps
  // session state on it (an advisory lock, LISTEN). Unavailable when the
  // server cannot be reached.
  Result<std::unique_ptr<pqxx::connection>> ConnectDedicated() const;

  // The connection string without the password, for messages.
  const std::string& conninfo() const { return options_.conninfo; }

 private:
  struct Slot {
    std::unique_ptr<pqxx::connection> conn;
    size_t prepared = 0;  // statements_[0, prepared) are known to conn
  };

  explicit ConnectionPool(PoolOptions options);

  Result<std::unique_ptr<Slot>> Connect() const;
  // An idle connection with every statement prepared, or a new one when
  // fewer than max_connections exist; waits otherwise.
  Result<std::unique_ptr<Slot>> Acquire() GOSLINE_EXCLUDES(mu_);
  void Release(std::unique_ptr<Slot> slot) GOSLINE_EXCLUDES(mu_);
  // A broken connection is dropped, not put back.
  void Discard() GOSLINE_EXCLUDES(mu_);

  const PoolOptions options_;
  Mutex mu_;
  CondVar idle_cv_;
  std::vector<std::unique_ptr<Slot>> idle_ GOSLINE_GUARDED_BY(mu_);
  int open_ GOSLINE_GUARDED_BY(mu_) = 0;  // idle and leased
  std::vector<std::pair<std::string, std::string>> statements_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::postgres
