// Call records (storage/call_record_store.h) in SQLite: the call_records
// table of the same file as the cases.
//
// Calls end on the SIP and media threads, which must never wait for a disk,
// so Append only queues the row; the batcher's writer thread
// (call_record_batcher.h) commits what is queued in batches (one
// transaction, one fsync each). A row is durable once its batch
// commits, normally within milliseconds; Flush waits for that, Close flushes
// and stops. The writer has its own connection, so the case store's writes
// and these take turns on SQLite's write lock (busy_timeout) without sharing
// a connection.
//
// Threads: Append, Flush, Close, stats and the reads come from any thread.
// The batcher guards the queue and the counters; conn_mu_ guards the
// connection (the writer thread's batches and the reads take turns on it).
// They never nest: the batcher lets go of its lock before it writes a batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "storage/call_record_batcher.h"
#include "storage/call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
class Statement;
}

class SqliteCallRecordStore final : public CallRecordStore {
 public:
  struct Options {
    SqliteSync synchronous = SqliteSync::kFull;
    std::chrono::milliseconds busy_timeout{5000};
    size_t max_queued = 100'000;  // beyond this Append refuses (the disk is stuck)
    size_t max_batch = 1000;      // rows per transaction
    // Encryption at rest (R22): the caller's number sealed, lookups by
    // keyed hash (row_cipher.h). Null: clear, refused once the database has a key.
    std::shared_ptr<const RowCipher> cipher = nullptr;
  };

  // Opens the database (creating it), applies pending migrations, starts the writer.
  static Result<std::unique_ptr<SqliteCallRecordStore>> Open(const std::string& path,
                                                             Options opts);
  static Result<std::unique_ptr<SqliteCallRecordStore>> Open(const std::string& path) {
    return Open(path, Options{});
  }
  ~SqliteCallRecordStore() override;
  SqliteCallRecordStore(const SqliteCallRecordStore&) = delete;
  SqliteCallRecordStore& operator=(const SqliteCallRecordStore&) = delete;

  // Append queues for the writer thread; Close also stops it.
  Status Append(CallRecordRow row) override;
  Status Flush() override;
  Status Close() override;

  Result<std::vector<CallRecordRow>> FindByCallId(const std::string& call_id) override
      GOSLINE_EXCLUDES(conn_mu_);
  Result<std::vector<CallRecordRow>> Recent(int limit) override GOSLINE_EXCLUDES(conn_mu_);
  Result<std::vector<CallRecordRow>> FindByCaller(const std::string& phone, int limit) override
      GOSLINE_EXCLUDES(conn_mu_);

  Stats stats() override;

 private:
  SqliteCallRecordStore(std::unique_ptr<sqlite::SqliteConnection> conn, Options opts);
  // The batcher's writer thread.
  Status WriteBatch(const std::vector<CallRecordRow>& rows) GOSLINE_EXCLUDES(conn_mu_);
  Result<std::vector<CallRecordRow>> Query(const std::string& where_and_order,
                                           const std::string& text_arg, int64_t int_arg)
      GOSLINE_EXCLUDES(conn_mu_);
  // Rows of a statement selecting kColumns and id; decrypts sealed columns.
  // The statement belongs to conn_, so its steps need conn_mu_ too.
  Result<std::vector<CallRecordRow>> ReadAll(sqlite::Statement& st) GOSLINE_REQUIRES(conn_mu_);

  const Options opts_;
  Mutex conn_mu_;  // the connection: writer thread and reads
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(conn_mu_);

  // Last: its writer thread, which runs WriteBatch, stops before the rest goes.
  CallRecordBatcher batcher_;
};

}  // namespace gosline
