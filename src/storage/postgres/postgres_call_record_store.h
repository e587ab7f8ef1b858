// Call records (storage/call_record_store.h) on PostgreSQL, for several
// nodes on one database (R4). As with SQLite, calls end on the SIP and media
// threads, which must never wait for the network or a disk: Append only
// queues the row, and one writer thread commits what is queued in batches
// (one transaction each, on a connection leased from the database's pool).
// A row is durable once its batch's COMMIT is acknowledged; Flush waits for
// that, Close flushes and stops.
//
// Threads: Append, Flush, Close, stats and the reads come from any thread;
// the writer thread runs WriteBatch. mu_ guards the queue and the counters
// and is never held while talking to the server; each read and each batch
// leases its own pooled connection, so reads never wait behind a batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/common/thread_annotations.h"
#include "storage/call_record_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresCallRecordStore final : public CallRecordStore {
 public:
  struct Options {
    size_t max_queued = 100'000;  // beyond this Append refuses (the database is stuck)
    size_t max_batch = 1000;      // rows per transaction
  };

  // Starts the writer thread. The caller's number is sealed and looked up
  // by keyed hash when the database has a cipher (R22).
  PostgresCallRecordStore(std::shared_ptr<PostgresDatabase> db, Options opts);
  explicit PostgresCallRecordStore(std::shared_ptr<PostgresDatabase> db)
      : PostgresCallRecordStore(std::move(db), Options{}) {}
  ~PostgresCallRecordStore() override;
  PostgresCallRecordStore(const PostgresCallRecordStore&) = delete;
  PostgresCallRecordStore& operator=(const PostgresCallRecordStore&) = delete;

  Status Append(CallRecordRow row) override GOSLINE_EXCLUDES(mu_);
  Status Flush() override GOSLINE_EXCLUDES(mu_);
  Status Close() override GOSLINE_EXCLUDES(mu_);

  Result<std::vector<CallRecordRow>> FindByCallId(const std::string& call_id) override;
  Result<std::vector<CallRecordRow>> Recent(int limit) override;
  Result<std::vector<CallRecordRow>> FindByCaller(const std::string& phone, int limit) override;

  Stats stats() override GOSLINE_EXCLUDES(mu_);

 private:
  void Run() GOSLINE_EXCLUDES(mu_);  // the writer thread
  Status WriteBatch(const std::vector<CallRecordRow>& rows) GOSLINE_EXCLUDES(mu_);
  // Rows of a prepared statement selecting the record columns.
  template <typename... Args>
  Result<std::vector<CallRecordRow>> Query(const char* statement, Args&&... args);

  const std::shared_ptr<PostgresDatabase> db_;
  const Options opts_;

  Mutex mu_;
  CondVar work_cv_;  // queue_ gained a row, or stop_
  CondVar done_cv_;  // finished_ grew
  std::deque<CallRecordRow> queue_ GOSLINE_GUARDED_BY(mu_);
  uint64_t appended_ GOSLINE_GUARDED_BY(mu_) = 0;  // rows ever appended
  uint64_t finished_ GOSLINE_GUARDED_BY(mu_) = 0;  // rows committed or failed
  Status first_error_ GOSLINE_GUARDED_BY(mu_);
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  bool closed_ GOSLINE_GUARDED_BY(mu_) = false;
  Stats stats_ GOSLINE_GUARDED_BY(mu_);
  // Started by the constructor, joined by Close (from the owner's thread).
  std::thread writer_;
};

}  // namespace gosline
