// The embedded case registry engine: SQLite in WAL mode behind CaseStore.
// Writes go through one connection with group commit (group_commit.h);
// reads use a small pool of read-only connections, so lookups are not
// queued behind writes. Path ":memory:" gives a private in-memory database
// (one connection for everything) for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/case_store.h"
#include "storage/row_cipher.h"

namespace gosline {

namespace sqlite {
class Checkpointer;
class GroupCommitWriter;
class ReadPool;
class SqliteConnection;
}  // namespace sqlite

// PRAGMA synchronous. In WAL mode both survive kill -9 of the process;
// "full" also survives power loss (fsync on every commit) and is the default.
enum class SqliteSync { kNormal, kFull };
std::optional<SqliteSync> ParseSqliteSync(std::string_view text);  // "normal" | "full"
std::string_view ToString(SqliteSync s);

struct SqliteOptions {
  SqliteSync synchronous = SqliteSync::kFull;
  std::chrono::milliseconds busy_timeout{5000};  // wait for another process's lock
  int read_connections = 4;                      // ignored for ":memory:"
  // Most writes committed together by group commit; 1 = one transaction each.
  int max_group_commit = 256;
  // WAL size (pages of 4 KiB) at which the background checkpointer folds the
  // WAL into the database file (checkpointer.h).
  int wal_checkpoint_pages = 4000;
  // Page cache of the write connection and of each read connection.
  int writer_cache_mib = 16;
  int reader_cache_mib = 16;
  // Memory-mapped reads (PRAGMA mmap_size) for every connection; 0 = off.
  int mmap_mib = 0;
  // Encryption at rest (R22; row_cipher.h): phones, portal accounts,
  // summaries and history texts sealed, phone lookups by keyed hash. Null
  // keeps them in clear, and is refused for a database that has a key.
  std::shared_ptr<const RowCipher> cipher = nullptr;
  // Rows per transaction when sealing rows written before there was a key.
  int seal_batch = 500;
};

class SqliteCaseStore : public CaseStore {
 public:
  // Opens or creates the database and applies pending migrations. Refuses a
  // database written by a newer gosline (FailedPrecondition).
  static Result<std::unique_ptr<SqliteCaseStore>> Open(const std::string& path,
                                                       SqliteOptions opts = {});
  ~SqliteCaseStore() override;

  Result<Case> Create(const Case& c) override;
  Status CreateBatch(std::vector<Case>& cases) override;
  Result<Case> GetByNumber(const std::string& number) override;
  Status Update(Case& c, int64_t expected_version) override;
  // Summary view (no history/links), like Search: open first, then newest.
  Result<std::vector<Case>> FindByPhone(const std::string& e164, int limit) override;
  Result<CasePage> Search(const CaseQuery& q) override;
  // The visitor runs inside a read transaction and must not call the store.
  Status ForEach(const std::function<bool(const Case&)>& visit) override;
  Status Ping() override;

  // Group commit so far: transactions and the writes they carried (their
  // ratio is the average group size). Not part of CaseStore.
  struct WriteStats {
    uint64_t transactions = 0;
    uint64_t writes = 0;
  };
  WriteStats write_stats() const;

 private:
  SqliteCaseStore(std::unique_ptr<sqlite::Checkpointer> checkpointer,
                  std::unique_ptr<sqlite::GroupCommitWriter> writer,
                  std::unique_ptr<sqlite::ReadPool> readers,
                  std::shared_ptr<const RowCipher> cipher);

  // The phone lookup values to match: the keyed hashes under every key, or
  // the phone itself in a clear database.
  Result<std::vector<std::string>> PhoneKeys(const std::string& phone) const;

  // Runs fn in a read transaction on a pooled connection (or the writer's,
  // for an in-memory database).
  Status Read(const std::function<Status(sqlite::SqliteConnection&)>& fn);

  // Declared first so it outlives the writer, whose commits signal it.
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;  // null for ":memory:"
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::unique_ptr<sqlite::ReadPool> readers_;  // null for ":memory:"
  std::shared_ptr<const RowCipher> cipher_;  // null: clear
};

}  // namespace gosline
