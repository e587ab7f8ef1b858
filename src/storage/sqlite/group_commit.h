// The single write connection, shared by all threads through group commit:
// writers queue their unit of work; one of them (the leader) runs every
// queued unit in one BEGIN IMMEDIATE transaction, each inside its own
// savepoint so a failing unit is undone alone, and commits once. With
// synchronous=FULL that is one fsync for the whole group instead of one per
// write, which is what lets concurrent writers exceed the disk's fsync rate.
// Every caller still returns only after its own unit is committed (durable).
//
// Where the units of a group depend on each other (each audit record chains
// to the one before it), kFailGroup runs them without savepoints: a failing
// unit undoes and fails the whole group, so a group is written whole or not
// at all.
//
// Threads: any. queue_mu_ guards the queue, the leader flag and the stats;
// conn_mu_ guards the connection (the leader's group, WithConnection). They
// are never held together: the leader lets queue_mu_ go before it writes.
#pragma once

#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/status.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

class GroupCommitWriter {
 public:
  using Work = std::function<Status(SqliteConnection&)>;

  // What a failing unit does to the others of its group.
  enum class OnUnitError {
    kFailAlone,  // each unit in its own savepoint; the others are committed
    kFailGroup,  // every unit of the group fails; nothing of it is written
  };

  // max_group = 1 turns batching off (one transaction per write).
  GroupCommitWriter(std::unique_ptr<SqliteConnection> conn, size_t max_group,
                    OnUnitError on_error = OnUnitError::kFailAlone);

  // Runs work inside a write transaction and returns once it is committed,
  // or with the unit's own error (its changes undone), or with the commit's
  // error; in kFailGroup mode also with the error of another unit of its
  // group (an IoError naming it). Work must not call back into the writer.
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
  // Writes not yet finished: queued, plus those of the group being run.
  size_t in_flight();

 private:
  // One waiting writer. Each has its own condition variable so a finished
  // group wakes exactly its members and the next leader, not every waiter.
  struct Pending {
    const Work* work;
    Status result;
    // done and lead: under queue_mu_; result: written by the leader (under
    // conn_mu_) before it sets done, read by the writer once done.
    bool done = false;  // committed (or failed); result is final
    bool lead = false;  // handed the leader role by the previous leader
    CondVar cv;
  };
  void CommitGroup(const std::vector<Pending*>& group);
  void CommitWholeGroup(const std::vector<Pending*>& group);

  Mutex queue_mu_;
  std::deque<Pending*> queue_ GOSLINE_GUARDED_BY(queue_mu_);
  bool leading_ GOSLINE_GUARDED_BY(queue_mu_) = false;  // a leader is running a group now
  size_t running_ GOSLINE_GUARDED_BY(queue_mu_) = 0;    // units in the group being run
  Stats stats_ GOSLINE_GUARDED_BY(queue_mu_);
  const size_t max_group_;
  const OnUnitError on_error_;

  Mutex conn_mu_;  // held by whoever uses conn_; never with queue_mu_
  const std::unique_ptr<SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(conn_mu_);
};

}  // namespace gosline::sqlite
