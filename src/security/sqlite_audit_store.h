// The SQLite engine of the audit log's rows (storage/audit_store.h, R21):
// table audit_log (one row per record) and audit_head (the last seq and
// hash, written in the same transaction), in a database file of its own or
// the case database.
//
// Append-only: triggers refuse UPDATE and DELETE on audit_log and any head
// that goes backwards. Appends are group-committed (storage/sqlite/
// group_commit.h): appends that arrive while a transaction is being written
// are chained, in the order they queued, and written in the next single
// transaction (WAL, synchronous=FULL: one fsync for the group). Append
// returns only once its own record is committed, so it survives a crash; a
// group is written whole or not at all, so a crash or a failed write never
// leaves a broken chain, and a failed write fails every append of its group.
// Several processes may append (BEGIN IMMEDIATE serialises them, and each
// record chains to the head read inside the transaction). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "storage/audit_store.h"

namespace gosline::sqlite {
class GroupCommitWriter;
}

namespace gosline::security {

class SqliteAuditStore final : public AuditStore {
 public:
  // Opens (creating the tables if needed) the log in the database at `path`.
  static Result<std::unique_ptr<SqliteAuditStore>> Open(const std::string& path);
  // Opens an existing log to read it only (verification): NotFound when the
  // file or its audit_log table does not exist.
  static Result<std::unique_ptr<SqliteAuditStore>> OpenReadOnly(const std::string& path);
  ~SqliteAuditStore() override;
  SqliteAuditStore(const SqliteAuditStore&) = delete;
  SqliteAuditStore& operator=(const SqliteAuditStore&) = delete;

  Status Append(AuditRecord& record, const Chain& chain) override;
  Result<std::vector<AuditRecord>> Read(int64_t from_seq, size_t limit) override;
  Result<std::optional<AuditAnchor>> Head() override;
  Status Scan(const std::function<void(const std::optional<AuditAnchor>&)>& head,
              const std::function<bool(const AuditRecord&)>& visit) override;

  // How appends are being grouped (benchmarks, monitoring, tests).
  struct GroupStats {
    uint64_t groups = 0;   // transactions run
    uint64_t appends = 0;  // appends run in them
  };
  GroupStats group_stats();
  // Appends not yet returned: queued, or in the group being written.
  size_t appends_in_flight();

 private:
  explicit SqliteAuditStore(std::unique_ptr<sqlite::GroupCommitWriter> writer);

  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
};

}  // namespace gosline::security
