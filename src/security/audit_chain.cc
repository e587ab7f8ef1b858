#include "security/audit_chain.h"

#include "security/encoding.h"

namespace gosline::security {
namespace {
std::string Seq(int64_t seq) { return "record " + std::to_string(seq); }
}  // namespace

const char* AuditProblemName(AuditProblem problem) {
  switch (problem) {
    case AuditProblem::kNone: return "none";
    case AuditProblem::kAltered: return "altered";
    case AuditProblem::kBroken: return "broken";
    case AuditProblem::kMissing: return "missing";
    case AuditProblem::kTruncated: return "truncated";
    case AuditProblem::kBeyondHead: return "beyond_head";
    case AuditProblem::kRewritten: return "rewritten";
  }
  return "unknown";
}

bool AuditChainVerifier::Fail(int64_t seq, AuditProblem problem, std::string reason) {
  if (!report_.ok) return false;  // the first problem is the one reported
  report_.ok = false;
  report_.first_bad_seq = seq;
  report_.problem = problem;
  report_.reason = std::move(reason);
  return false;
}

bool AuditChainVerifier::Add(const AuditRecord& r) {
  if (!report_.ok) return false;
  ++report_.records;
  const int64_t expected = report_.last_seq + 1;
  if (r.seq != expected) {
    if (r.seq > expected) {
      return Fail(expected, AuditProblem::kMissing,
                  r.seq == expected + 1
                      ? Seq(expected) + " is missing (deleted)"
                      : "records " + std::to_string(expected) + " to " + std::to_string(r.seq - 1) +
                            " are missing (deleted)");
    }
    return Fail(r.seq, AuditProblem::kBroken, Seq(r.seq) + " is out of order");
  }
  if (!ConstantTimeEquals(ComputeAuditHash(r), r.hash)) {
    return Fail(r.seq, AuditProblem::kAltered,
                Seq(r.seq) + " was altered: its content does not match its hash");
  }
  if (r.prev_hash != report_.last_hash) {
    return Fail(r.seq, AuditProblem::kBroken,
                Seq(r.seq) + " does not chain to " +
                    (r.seq == 1 ? std::string("the start") : Seq(r.seq - 1)) +
                    " (a record before it was altered and re-hashed, inserted or reordered)");
  }
  if (anchor_ && anchor_->seq == r.seq && !ConstantTimeEquals(anchor_->hash, r.hash)) {
    return Fail(r.seq, AuditProblem::kRewritten,
                Seq(r.seq) + " differs from the anchor kept outside the database "
                             "(the chain was re-computed)");
  }
  report_.last_seq = r.seq;
  report_.last_hash = r.hash;
  return true;
}

AuditVerifyReport AuditChainVerifier::Finish(const std::optional<AuditAnchor>& head) {
  if (report_.ok && anchor_ && report_.last_seq < anchor_->seq) {
    Fail(report_.last_seq + 1, AuditProblem::kTruncated,
         "the log ends at " + Seq(report_.last_seq) + " but the anchor names " + Seq(anchor_->seq) +
             " (records deleted from the end)");
  }
  if (report_.ok && head) {
    if (report_.last_seq < head->seq) {
      Fail(report_.last_seq + 1, AuditProblem::kTruncated,
           "the log ends at " + Seq(report_.last_seq) + " but its head names " + Seq(head->seq) +
               " (records deleted from the end)");
    } else if (report_.last_seq > head->seq) {
      Fail(head->seq + 1, AuditProblem::kBeyondHead,
           Seq(head->seq + 1) + " and later were not written by the audit log (inserted)");
    } else if (!ConstantTimeEquals(report_.last_hash, head->hash)) {
      Fail(report_.last_seq, AuditProblem::kAltered,
           Seq(report_.last_seq) + " does not match the head recorded when it was appended");
    }
  }
  return report_;
}

AuditVerifyReport VerifyAuditRecords(const std::vector<AuditRecord>& records,
                                     const std::optional<AuditAnchor>& head,
                                     const std::optional<AuditAnchor>& anchor) {
  AuditChainVerifier v(anchor);
  for (const AuditRecord& r : records) {
    if (!v.Add(r)) break;
  }
  return v.Finish(head);
}

}  // namespace gosline::security
