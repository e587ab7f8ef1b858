// The audit log (R21) in SQLite: table audit_log (one row per record) and
// audit_head (the last seq and hash, written in the same transaction), in a
// database file given by path (the case database or a separate file).
//
// Append-only: triggers refuse UPDATE and DELETE on audit_log and any head
// that goes backwards, and every append is its own durable transaction (WAL,
// synchronous=FULL): once Append returns, the record survives a crash.
// Safe to share between threads; several processes may append (BEGIN
// IMMEDIATE serialises them).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "security/audit_chain.h"
#include "security/audit_record.h"

namespace gosline::sqlite {
class SqliteConnection;
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

 private:
  explicit AuditLog(std::unique_ptr<sqlite::SqliteConnection> conn);

  std::mutex mu_;
  std::unique_ptr<sqlite::SqliteConnection> conn_;
};

// Reads the whole chain from the database at `path` (read-only; the file
// must exist) and checks it; `anchor` is an optional (seq, hash) kept
// outside the database. An error Status only when the file cannot be read;
// tampering is reported in the report.
Result<AuditVerifyReport> VerifyAuditChain(const std::string& path,
                                           const std::optional<AuditAnchor>& anchor = std::nullopt);

}  // namespace gosline::security
