#include "storage/sqlite/group_commit.h"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

namespace gosline::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteConnection> conn, size_t max_group,
                                     OnUnitError on_error)
    : max_group_(std::max<size_t>(1, max_group)), on_error_(on_error), conn_(std::move(conn)) {}

Status GroupCommitWriter::Run(const Work& work) {
  Pending me;
  me.work = &work;
  MutexLock lock(queue_mu_);
  queue_.push_back(&me);
  if (leading_) {
    while (!me.done && !me.lead) me.cv.Wait(queue_mu_);
    if (me.done) return me.result;
  }
  // Leader now. We are the queue's front: a leader hands over to the front,
  // and when no leader was running the queue was empty until we arrived.
  leading_ = true;
  size_t n = std::min(queue_.size(), max_group_);
  std::vector<Pending*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  running_ = n;
  lock.Unlock();
  if (on_error_ == OnUnitError::kFailGroup) {
    CommitWholeGroup(group);
  } else {
    CommitGroup(group);
  }
  lock.Lock();
  running_ = 0;
  ++stats_.groups;
  stats_.units += group.size();
  for (Pending* p : group) {
    p->done = true;
    if (p != &me) p->cv.NotifyOne();
  }
  // Writers that queued meanwhile form the next group, led by the oldest.
  if (queue_.empty()) {
    leading_ = false;
  } else {
    queue_.front()->lead = true;
    queue_.front()->cv.NotifyOne();
  }
  return me.result;
}

namespace {

// A unit that throws (say, bad_alloc) must not leave the group half-run with
// no leader: it fails like any other unit.
Status RunUnit(const GroupCommitWriter::Work& work, SqliteConnection& conn) {
  try {
    return work(conn);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("write failed: ") + e.what());
  } catch (...) {
    return Status::Internal("write failed: unknown exception");
  }
}

}  // namespace

void GroupCommitWriter::CommitGroup(const std::vector<Pending*>& group) {
  MutexLock conn_lock(conn_mu_);
  auto fail_all = [&](const Status& st) {
    for (Pending* p : group) p->result = st;
  };
  Result<Transaction> tx = Transaction::Begin(*conn_, Transaction::Kind::kWrite);
  if (!tx.ok()) return fail_all(tx.status());
  bool any_ok = false;
  if (group.size() == 1) {
    // Alone: the transaction itself is the unit; no savepoint needed.
    group[0]->result = RunUnit(*group[0]->work, *conn_);
    any_ok = group[0]->result.ok();
  } else {
    for (Pending* p : group) {
      Result<Savepoint> sp = Savepoint::Begin(*conn_);
      if (!sp.ok()) return fail_all(sp.status());
      p->result = RunUnit(*p->work, *conn_);
      if (p->result.ok()) p->result = sp->Release();
      any_ok = any_ok || p->result.ok();
      // Some errors (disk full, I/O) make SQLite abandon the whole
      // transaction; then nothing of the group may be reported as written.
      if (!p->result.ok() && sqlite3_get_autocommit(conn_->handle()) != 0) {
        Status aborted = Status::IoError("sqlite: write transaction aborted: " +
                                         p->result.message());
        for (Pending* q : group) {
          if (q != p && q->result.ok()) q->result = aborted;
        }
        return;
      }
      // A failed unit is rolled back to its savepoint by ~Savepoint.
    }
  }
  if (!any_ok) return;  // ~Transaction rolls back; every unit has its error
  Status committed = tx->Commit();
  if (!committed.ok()) {
    for (Pending* p : group) {
      if (p->result.ok()) p->result = committed;
    }
  }
}

void GroupCommitWriter::CommitWholeGroup(const std::vector<Pending*>& group) {
  MutexLock conn_lock(conn_mu_);
  auto fail_all = [&](const Status& st) {
    for (Pending* p : group) p->result = st;
  };
  Result<Transaction> tx = Transaction::Begin(*conn_, Transaction::Kind::kWrite);
  if (!tx.ok()) return fail_all(tx.status());
  for (size_t i = 0; i < group.size(); ++i) {
    Status st = RunUnit(*group[i]->work, *conn_);
    if (!st.ok()) {
      // ~Transaction rolls the group back; later units never ran.
      fail_all(Status::IoError("sqlite: write group rolled back: unit " + std::to_string(i + 1) +
                               " of " + std::to_string(group.size()) + " failed: " + st.message()));
      group[i]->result = st;
      return;
    }
  }
  Status committed = tx->Commit();
  fail_all(committed);
}

Status GroupCommitWriter::WithConnection(const Work& work) {
  MutexLock conn_lock(conn_mu_);
  return work(*conn_);
}

GroupCommitWriter::Stats GroupCommitWriter::stats() {
  MutexLock lock(queue_mu_);
  return stats_;
}

size_t GroupCommitWriter::queued() {
  MutexLock lock(queue_mu_);
  return queue_.size();
}

size_t GroupCommitWriter::in_flight() {
  MutexLock lock(queue_mu_);
  return queue_.size() + running_;
}

}  // namespace gosline::sqlite
