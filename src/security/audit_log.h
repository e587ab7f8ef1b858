// The audit log (R21): records hash-chained (audit_record.h) and kept by a
// store (storage/audit_store.h) that serialises appends, so the chain has
// one order and no fork: the SQLite engine (sqlite_audit_store.h, a file of
// the node) or the PostgreSQL engine (one chain for every node of the line,
// R4). Append returns only once its own record is committed.
// Safe to share between threads.
#pragma once

#include <atomic>
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
#include "storage/audit_store.h"

namespace gosline::security {

class SqliteAuditStore;

class AuditLog {
 public:
  // The SQLite engine: opens (creating the tables if needed) the log in the
  // database at `path`.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  // Any engine's store.
  explicit AuditLog(std::unique_ptr<AuditStore> store);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one record at `at`; returns it with seq and hashes.
  Result<AuditRecord> Append(const AuditEntry& entry, Time at);
  // Records with seq >= from_seq, at most `limit` (for `gosline audit show`).
  Result<std::vector<AuditRecord>> Read(int64_t from_seq, size_t limit);
  // The head: last seq and hash (seq 0 and the genesis hash when empty).
  Result<AuditAnchor> Head();

  // How appends are being grouped (benchmarks, monitoring, tests). Engines
  // that do not group (PostgreSQL) run one transaction per append.
  struct GroupStats {
    uint64_t groups = 0;   // transactions run
    uint64_t appends = 0;  // appends run in them
  };
  GroupStats group_stats();
  // Appends not yet returned: queued, or being written.
  size_t appends_in_flight();

  AuditStore& store() { return *store_; }

 private:
  std::unique_ptr<AuditStore> store_;
  SqliteAuditStore* sqlite_ = nullptr;  // store_ when it is SQLite's (its group stats)
  std::atomic<uint64_t> appended_{0};
  std::atomic<size_t> in_flight_{0};
};

// Reads the whole chain from `store` in one snapshot and checks it; `anchor`
// is an optional (seq, hash) kept outside the database. An error Status
// only when the store cannot be read; tampering is reported in the report.
Result<AuditVerifyReport> VerifyAuditStore(AuditStore& store,
                                           const std::optional<AuditAnchor>& anchor = std::nullopt);

// The same for the SQLite log at `path` (read-only; the file must exist).
Result<AuditVerifyReport> VerifyAuditChain(const std::string& path,
                                           const std::optional<AuditAnchor>& anchor = std::nullopt);

}  // namespace gosline::security
