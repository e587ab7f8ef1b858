#include "security/audit_chain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gosline::security {
namespace {

const Time kT0 = FromUnixMillis(1'760'000'000'000);

std::vector<AuditRecord> Chain(int n) {
  std::vector<AuditRecord> out;
  std::string prev(kAuditGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditRecord r;
    r.seq = i;
    r.at = kT0 + std::chrono::seconds(i);
    r.actor = "user:ivanova";
    r.action = "case.read";
    r.object = "case:2025-00000" + std::to_string(i);
    r.detail = "{\"fields\":[\"phone\"]}";
    r.prev_hash = prev;
    r.hash = ComputeAuditHash(r);
    prev = r.hash;
    out.push_back(r);
  }
  return out;
}

AuditAnchor HeadOf(const std::vector<AuditRecord>& c) { return {c.back().seq, c.back().hash}; }

TEST(AuditChainTest, R21IntactChainVerifies) {
  std::vector<AuditRecord> c = Chain(5);
  AuditVerifyReport r = VerifyAuditRecords(c, HeadOf(c));
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.records, 5);
  EXPECT_EQ(r.last_seq, 5);
  EXPECT_EQ(r.last_hash, c.back().hash);
  EXPECT_EQ(c[0].prev_hash, kAuditGenesisHash);
}

TEST(AuditChainTest, CanonicalFormSeparatesFieldsUnambiguously) {
  AuditRecord a = Chain(1)[0];
  AuditRecord b = a;
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
  b = a;
  b.at += std::chrono::milliseconds(1);
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
}

TEST(AuditChainTest, R21AlteredRecordIsNamed) {
  std::vector<AuditRecord> c = Chain(5);
  c[2].detail = "{}";
  AuditVerifyReport r = VerifyAuditRecords(c, HeadOf(c));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_EQ(r.problem, AuditProblem::kAltered);
  EXPECT_EQ(r.last_seq, 2);
}

TEST(AuditChainTest, R21AlteredAndRehashedRecordBreaksTheNextLink) {
  std::vector<AuditRecord> c = Chain(5);
  c[2].actor = "user:someone-else";
  c[2].hash = ComputeAuditHash(c[2]);
  AuditVerifyReport r = VerifyAuditRecords(c, HeadOf(c));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_EQ(r.problem, AuditProblem::kBroken);
}

TEST(AuditChainTest, R21DeletedRecordIsNamed) {
  std::vector<AuditRecord> c = Chain(5);
  AuditAnchor head = HeadOf(c);
  c.erase(c.begin() + 1);
  AuditVerifyReport r = VerifyAuditRecords(c, head);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
  EXPECT_EQ(r.problem, AuditProblem::kMissing);
  // The first record deleted.
  c = Chain(5);
  c.erase(c.begin());
  r = VerifyAuditRecords(c, head);
  EXPECT_EQ(r.first_bad_seq, 1);
  EXPECT_EQ(r.problem, AuditProblem::kMissing);
}

TEST(AuditChainTest, R21ReorderedRecordsAreDetected) {
  std::vector<AuditRecord> c = Chain(5);
  std::swap(c[1], c[3]);
  AuditVerifyReport r = VerifyAuditRecords(c, HeadOf(Chain(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
  // Swapped contents under the original seq numbers: the hash covers seq.
  c = Chain(5);
  std::swap(c[1].detail, c[3].detail);
  std::swap(c[1].object, c[3].object);
  r = VerifyAuditRecords(c, HeadOf(Chain(5)));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
  EXPECT_EQ(r.problem, AuditProblem::kAltered);
}

TEST(AuditChainTest, R21TruncationIsCaughtByHeadOrAnchor) {
  std::vector<AuditRecord> c = Chain(5);
  AuditAnchor head = HeadOf(c);
  c.pop_back();
  AuditVerifyReport r = VerifyAuditRecords(c, head);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kTruncated);
  EXPECT_EQ(r.first_bad_seq, 5);
  // Head moved back too (an attacker with write access): the anchor catches it.
  r = VerifyAuditRecords(c, HeadOf(c), head);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kTruncated);
}

TEST(AuditChainTest, R21RecomputedChainIsCaughtOnlyByAnAnchor) {
  std::vector<AuditRecord> c = Chain(5);
  AuditAnchor old_anchor{3, c[2].hash};
  // Rewrite record 2 and re-compute everything after it, head included.
  c[1].detail = "nothing to see";
  for (size_t i = 1; i < c.size(); ++i) {
    c[i].prev_hash = c[i - 1].hash;
    c[i].hash = ComputeAuditHash(c[i]);
  }
  EXPECT_TRUE(VerifyAuditRecords(c, HeadOf(c)).ok);
  AuditVerifyReport r = VerifyAuditRecords(c, HeadOf(c), old_anchor);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kRewritten);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST(AuditChainTest, R21RecordsBeyondTheHeadAreInserted) {
  std::vector<AuditRecord> c = Chain(5);
  AuditAnchor head{4, c[3].hash};
  AuditVerifyReport r = VerifyAuditRecords(c, head);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kBeyondHead);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_STREQ(AuditProblemName(r.problem), "beyond_head");
}

TEST(AuditChainTest, EmptyLogIsValid) {
  AuditVerifyReport r = VerifyAuditRecords({}, std::nullopt);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.records, 0);
  EXPECT_EQ(r.last_hash, kAuditGenesisHash);
}

TEST(AuditChainTest, HostileEntriesAreRefusedByValidation) {
  AuditEntry e{"user:x", "case.read", "case:1", ""};
  EXPECT_TRUE(ValidateAuditEntry(e).ok());
  e.detail = std::string(17 * 1024, 'x');
  EXPECT_EQ(ValidateAuditEntry(e).field(), "detail");
  e = {"", "case.read", "", ""};
  EXPECT_EQ(ValidateAuditEntry(e).field(), "actor");
  e = {"user:x", "case.read'; DROP TABLE audit_log; --", "", ""};
  EXPECT_EQ(ValidateAuditEntry(e).field(), "action");
  e = {"user:x", "case.read", std::string(300, 'o'), ""};
  EXPECT_EQ(ValidateAuditEntry(e).field(), "object");
}

}  // namespace
}  // namespace gosline::security
