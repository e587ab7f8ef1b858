// The queue and writer thread that every call record engine shares
// (call_record_store.h): calls end on the SIP and media threads, which must
// never wait for a disk or the network, so Append only queues the row; one
// writer thread hands what is queued to the engine's batch write, at most
// max_batch rows at a time (one transaction each). A row is durable once its
// batch is written; Flush waits for that, Close flushes and stops.
//
// Threads: Append, Flush, Close and stats come from any thread; the writer
// thread runs the batch write. mu_ guards the queue and the counters and is
// never held while a batch is written, so the engine's own locks (its
// connection's) are taken without it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/call_record_store.h"

namespace gosline {

class CallRecordBatcher {
 public:
  // Writes rows in one transaction: all or none.
  using WriteBatch = std::function<Status(const std::vector<CallRecordRow>& rows)>;

  struct Options {
    size_t max_queued = 100'000;  // beyond this Append refuses (the store is stuck)
    size_t max_batch = 1000;      // rows per batch
  };

  // Starts the writer thread: everything write_batch uses must exist before.
  CallRecordBatcher(Options opts, WriteBatch write_batch);
  ~CallRecordBatcher();  // Close()
  CallRecordBatcher(const CallRecordBatcher&) = delete;
  CallRecordBatcher& operator=(const CallRecordBatcher&) = delete;

  Status Append(CallRecordRow row) GOSLINE_EXCLUDES(mu_);
  // Waits until every row appended before the call is written or failed;
  // the first error since the last Flush, if any.
  Status Flush() GOSLINE_EXCLUDES(mu_);
  // Flushes and joins the writer; later Appends are refused. Idempotent.
  Status Close() GOSLINE_EXCLUDES(mu_);
  CallRecordStore::Stats stats() GOSLINE_EXCLUDES(mu_);

 private:
  void Run() GOSLINE_EXCLUDES(mu_);  // the writer thread

  const Options opts_;
  const WriteBatch write_batch_;

  Mutex mu_;
  CondVar work_cv_;  // queue_ gained a row, or stop_
  CondVar done_cv_;  // finished_ grew
  std::deque<CallRecordRow> queue_ GOSLINE_GUARDED_BY(mu_);
  uint64_t appended_ GOSLINE_GUARDED_BY(mu_) = 0;  // rows ever appended
  uint64_t finished_ GOSLINE_GUARDED_BY(mu_) = 0;  // rows written or failed
  Status first_error_ GOSLINE_GUARDED_BY(mu_);
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  bool closed_ GOSLINE_GUARDED_BY(mu_) = false;
  CallRecordStore::Stats stats_ GOSLINE_GUARDED_BY(mu_);
  // Started by the constructor, joined by Close (from the owner's thread).
  std::thread writer_;
};

}  // namespace gosline
