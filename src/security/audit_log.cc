#include "security/audit_log.h"

#include <utility>

#include "security/sqlite_audit_store.h"

namespace gosline::security {
namespace {

// Gives r its place after head: the next seq, the head's hash as prev_hash,
// and its own hash over both and its content.
void ChainAfter(AuditRecord& r, const std::optional<AuditAnchor>& head) {
  r.seq = head ? head->seq + 1 : 1;
  r.prev_hash = head ? head->hash : std::string(kAuditGenesisHash);
  r.hash = ComputeAuditHash(r);
}

}  // namespace

AuditLog::AuditLog(std::unique_ptr<AuditStore> store) : store_(std::move(store)) {}
AuditLog::~AuditLog() = default;

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteAuditStore> store, SqliteAuditStore::Open(path));
  SqliteAuditStore* sqlite = store.get();
  auto log = std::make_unique<AuditLog>(std::move(store));
  log->sqlite_ = sqlite;
  return log;
}

Result<AuditRecord> AuditLog::Append(const AuditEntry& entry, Time at) {
  GOSLINE_RETURN_IF_ERROR(ValidateAuditEntry(entry));
  AuditRecord r;
  r.at = at;
  r.actor = entry.actor;
  r.action = entry.action;
  r.object = entry.object;
  r.detail = entry.detail;
  in_flight_.fetch_add(1);
  Status st = store_->Append(r, ChainAfter);
  in_flight_.fetch_sub(1);
  if (!st.ok()) return st;
  appended_.fetch_add(1);
  return r;
}

Result<std::vector<AuditRecord>> AuditLog::Read(int64_t from_seq, size_t limit) {
  return store_->Read(from_seq, limit);
}

Result<AuditAnchor> AuditLog::Head() {
  GOSLINE_ASSIGN_OR_RETURN(std::optional<AuditAnchor> head, store_->Head());
  if (head) return *head;
  return AuditAnchor{0, std::string(kAuditGenesisHash)};
}

AuditLog::GroupStats AuditLog::group_stats() {
  if (sqlite_ != nullptr) {
    SqliteAuditStore::GroupStats s = sqlite_->group_stats();
    return GroupStats{s.groups, s.appends};
  }
  const uint64_t n = appended_.load();
  return GroupStats{n, n};
}

size_t AuditLog::appends_in_flight() {
  return sqlite_ != nullptr ? sqlite_->appends_in_flight() : in_flight_.load();
}

Result<AuditVerifyReport> VerifyAuditStore(AuditStore& store,
                                           const std::optional<AuditAnchor>& anchor) {
  AuditChainVerifier verifier(anchor);
  std::optional<AuditAnchor> head;
  GOSLINE_RETURN_IF_ERROR(store.Scan(
      [&head](const std::optional<AuditAnchor>& h) { head = h; },
      [&verifier](const AuditRecord& r) { return verifier.Add(r); }));
  AuditVerifyReport report = verifier.Finish(head);
  if (report.ok && !head && report.records > 0) {
    report.ok = false;
    report.problem = AuditProblem::kTruncated;
    report.first_bad_seq = 1;
    report.reason = "the audit head row is missing (deleted)";
  }
  return report;
}

Result<AuditVerifyReport> VerifyAuditChain(const std::string& path,
                                           const std::optional<AuditAnchor>& anchor) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteAuditStore> store,
                           SqliteAuditStore::OpenReadOnly(path));
  return VerifyAuditStore(*store, anchor);
}

}  // namespace gosline::security
