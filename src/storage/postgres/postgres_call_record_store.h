// Call records (storage/call_record_store.h) on PostgreSQL, for several
// nodes on one database (R4). As with SQLite, calls end on the SIP and media
// threads, which must never wait for the network or a disk: Append only
// queues the row, and the batcher's writer thread (call_record_batcher.h)
// commits what is queued in batches (one transaction each, on a connection
// leased from the database's pool). A row is durable once its batch's
// COMMIT is acknowledged; Flush waits for that, Close flushes and stops.
//
// Threads: Append, Flush, Close, stats and the reads come from any thread;
// the batcher's writer thread runs WriteBatch. Each read and each batch
// leases its own pooled connection, so reads never wait behind a batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/call_record_batcher.h"
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

  Status Append(CallRecordRow row) override;
  Status Flush() override;
  Status Close() override;

  Result<std::vector<CallRecordRow>> FindByCallId(const std::string& call_id) override;
  Result<std::vector<CallRecordRow>> Recent(int limit) override;
  Result<std::vector<CallRecordRow>> FindByCaller(const std::string& phone, int limit) override;

  Stats stats() override;

 private:
  Status WriteBatch(const std::vector<CallRecordRow>& rows);  // the batcher's thread
  // Rows of a prepared statement selecting the record columns.
  template <typename... Args>
  Result<std::vector<CallRecordRow>> Query(const char* statement, Args&&... args);

  const std::shared_ptr<PostgresDatabase> db_;
  // Last: its writer thread, which runs WriteBatch, stops before the rest goes.
  CallRecordBatcher batcher_;
};

}  // namespace gosline
