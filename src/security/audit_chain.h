// Verifying the audit hash chain (R21), record by record in seq order, so a
// log of any length is checked in constant memory. Names the first bad seq
// and what is wrong there:
//   altered    the record's content does not give its stored hash
//   broken     its prev_hash is not the previous record's hash (a record was
//              altered and re-hashed, or records deleted, inserted, reordered)
//   missing    a seq number is skipped (records deleted)
//   truncated  the log ends before the head recorded at the last append, or
//              before an anchor (seq, hash) kept outside the database
//   beyond     records after the recorded head (appended around the log)
//   rewritten  the record at an anchor's seq has another hash than the anchor
// A chain re-computed from some record onwards, head included, is only
// caught against an anchor kept outside the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "security/audit_record.h"

namespace gosline::security {

enum class AuditProblem { kNone, kAltered, kBroken, kMissing, kTruncated, kBeyondHead, kRewritten };

const char* AuditProblemName(AuditProblem problem);

// A (seq, hash) known to be in the chain (storage/audit_store.h).
using ::gosline::AuditAnchor;

struct AuditVerifyReport {
  bool ok = true;
  int64_t records = 0;          // records read
  int64_t first_bad_seq = 0;    // 0 when ok
  AuditProblem problem = AuditProblem::kNone;
  std::string reason;           // one line for people
  int64_t last_seq = 0;         // the last good record (the head when ok)
  std::string last_hash{kAuditGenesisHash};
};

class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(std::optional<AuditAnchor> anchor = std::nullopt)
      : anchor_(std::move(anchor)) {}

  // Feeds the next record in seq order; false once a problem is found (the
  // rest need not be fed).
  bool Add(const AuditRecord& record);
  // After the last record: checks the end against the head the log
  // recorded at its last append (nullopt: not checked) and the anchor.
  AuditVerifyReport Finish(const std::optional<AuditAnchor>& head);

 private:
  bool Fail(int64_t seq, AuditProblem problem, std::string reason);

  std::optional<AuditAnchor> anchor_;
  AuditVerifyReport report_;
};

// Convenience for records already in memory.
AuditVerifyReport VerifyAuditRecords(const std::vector<AuditRecord>& records,
                                     const std::optional<AuditAnchor>& head = std::nullopt,
                                     const std::optional<AuditAnchor>& anchor = std::nullopt);

}  // namespace gosline::security
