// The single write connection, shared by all threads through group commit:
// writers queue their unit of work; one of them (the leader) runs every
// queued unit in one BEGIN IMMEDIATE transaction, each inside its own
// savepoint so a failing unit is undone alone, and commits once. With
// synchronous=FULL that is one fsync for the whole group instead of one per
// write, which is what lets concurrent writers exceed the disk's fsync rate.
// Every caller still returns only after its own unit is committed (durable).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/common/status.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

class GroupCommitWriter {
 public:
  using Work = std::function<Status(SqliteConnection&)>;

  // max_group = 1 turns batching off (one transaction per write).
  GroupCommitWriter(std::unique_ptr<SqliteConnection> conn, size_t max_group);

  // Runs work inside a write transaction and returns once it is committed,
  // or with the unit's own error (its changes undone), or with the commit's
  // error. Work must not call back into the writer.
  Status Run(const Work& work);

  // Exclusive use of the connection outside any group, e.g. reads on an
  // in-memory database that has no other connection.
  Status WithConnection(const Work& work);

  // How well writes are being grouped (for benchmarks and monitoring).
  struct Stats {
    uint64_t groups = 0;  // transactions run
    uint64_t units = 0;   // writes run in them
  };
  Stats stats();
  // Writes waiting for a leader right now.
  size_t queued();

 private:
  // One waiting writer. Each has its own condition variable so a finished
  // group wakes exactly its members and the next leader, not every waiter.
  struct Pending {
    const Work* work;
    Status result;
    bool done = false;  // committed (or failed); result is final
    bool lead = false;  // handed the leader role by the previous leader
    std::condition_variable cv;
  };
  void CommitGroup(const std::vector<Pending*>& group);

  std::mutex queue_mu_;
  std::deque<Pending*> queue_;
  bool leading_ = false;  // a leader is running a group now
  Stats stats_;
  const size_t max_group_;

  std::mutex conn_mu_;  // held by whoever uses conn_
  std::unique_ptr<SqliteConnection> conn_;
};

}  // namespace gosline::sqlite
