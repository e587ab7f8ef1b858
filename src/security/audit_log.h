// The audit log (R21) in SQLite: table audit_log (one row per record) and
// audit_head (the last seq and hash, written in the same transaction), in a
// database file given by path (the case database or a separate file).
//
// Append-only: triggers refuse UPDATE and DELETE on audit_log and any head
// that goes backwards. Appends are group-committed (storage/sqlite/
// group_commit.h): appends that arrive while a transaction is being written
// are chained, in the order they queued, and written in the next single
// transaction (WAL, synchronous=FULL: one fsync for the group). Append
// returns only once its own record is committed, so it survives a crash; a
// group is written whole or not at all, so a crash or a failed write never
// leaves a broken chain, and a failed write fails every append of its group.
// Safe to share between threads; several processes may append (BEGIN
// IMMEDIATE serialises them, and each record chains to the head read
// inside the transaction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "security/audit_chain.h"
#include "security/audit_record.h"

namespace gosline::sqlite {
class GroupCommitWriter;
}

namespace gosline::security {

class AuditLog {
 public:
  // Opens (creating the tables if needed) the log in the database at `path`.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one record at `at`; returns it with seq and hashes.
  Result<AuditRecord> Append(const AuditEntry& entry, Time at);
  // Records with seq >= from_seq, at most `limit` (for `gosline audit show`).
  Result<std::vector<AuditRecord>> Read(int64_t from_seq, size_t limit);
  // The head: last seq and hash (seq 0 and the genesis hash when empty).
  Result<AuditAnchor> Head();

  // How appends are being grouped (benchmarks, monitoring, tests).
  struct GroupStats {
    uint64_t groups = 0;   // transactions run
    uint64_t appends = 0;  // appends run in them
  };
  GroupStats group_stats();
  // Appends not yet returned: queued, or in the group being written.
  size_t appends_in_flight();

 private:
  explicit AuditLog(std::unique_ptr<sqlite::GroupCommitWriter> writer);

  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
};

// Reads the whole chain from the database at `path` (read-only; the file
// must exist) and checks it; `anchor` is an optional (seq, hash) kept
// outside the database. An error Status only when the file cannot be read;
// tampering is reported in the report.
Result<AuditVerifyReport> VerifyAuditChain(const std::string& path,
                                           const std::optional<AuditAnchor>& anchor = std::nullopt);

}  // namespace gosline::security
