// The audit log (R21) on every engine (store_engines.h): one hash chain,
// appends serialised across threads and across nodes (each Open is another
// process or node on the same data, R4), append-only at the database, and
// verification that names what was tampered with.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "security/audit_log.h"
#include "store_engines.h"

namespace gosline {
namespace {

using security::AuditEntry;
using security::AuditLog;
using security::AuditProblem;
using security::AuditVerifyReport;
using testing::PostgresEngine;
using testing::SqliteEngine;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

template <typename Engine>
class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // Another node's (or process's) log on the same data.
  std::unique_ptr<AuditLog> OpenNode() {
    Result<std::unique_ptr<AuditStore>> store = engine_.OpenAudit();
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return nullptr;
    return std::make_unique<AuditLog>(std::move(store).value());
  }

  AuditVerifyReport Verify(const std::optional<AuditAnchor>& anchor = std::nullopt) {
    Result<std::unique_ptr<AuditStore>> store = engine_.OpenAudit();
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return {};
    Result<AuditVerifyReport> report = security::VerifyAuditStore(**store, anchor);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  // Lets the test change rows behind the log's back, as someone with
  // database access would (the engine's own guard taken off first).
  Status RawTamper(const std::string& sql) {
    if constexpr (std::is_same_v<Engine, PostgresEngine>) {
      return engine_.RawExec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; " + sql +
                             "; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change");
    } else {
      return engine_.RawExec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " +
                             sql);
    }
  }

  Engine engine_;
};

struct EngineName {
  template <typename Engine>
  static std::string GetName(int) {
    return Engine::kName;
  }
};
using Engines = ::testing::Types<SqliteEngine, PostgresEngine>;
TYPED_TEST_SUITE(AuditStoreTest, Engines, EngineName);

TYPED_TEST(AuditStoreTest, R21_RecordsChainFromGenesisAndReadBackAsWritten) {
  std::unique_ptr<AuditLog> log = this->OpenNode();
  ASSERT_NE(log, nullptr);
  Result<AuditAnchor> empty = log->Head();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->seq, 0);
  EXPECT_EQ(empty->hash, security::kAuditGenesisHash);

  // Any bytes are kept as they are: the hash covers them.
  constexpr char kOdd[] = "nul\0byte \xff\xfe end";
  const std::string odd_detail(kOdd, sizeof(kOdd) - 1);
  Result<AuditRecord> first =
      log->Append(AuditEntry{"user:ivanova", "case.read", "case:2026-000001", "{}"}, kT0);
  Result<AuditRecord> second =
      log->Append(AuditEntry{"user:petrov", "recording.play", "case:2026-000002", odd_detail},
                  kT0 + std::chrono::seconds(1));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->prev_hash, security::kAuditGenesisHash);
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, first->hash);
  EXPECT_EQ(second->hash, security::ComputeAuditHash(*second));

  Result<std::vector<AuditRecord>> read = this->OpenNode()->Read(1, 10);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[1].detail, odd_detail);
  EXPECT_EQ((*read)[1].at, kT0 + std::chrono::seconds(1));
  EXPECT_EQ((*read)[1].hash, second->hash);
  Result<AuditAnchor> head = log->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(head->hash, second->hash);

  AuditVerifyReport report = this->Verify();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.last_hash, second->hash);
}

// Two nodes, each with two threads, append at once: every record gets its
// own seq and chains to the one committed before it (no fork, no gap).
TYPED_TEST(AuditStoreTest, R4_R21_ConcurrentAppendsFromTwoNodesFormOneChain) {
  std::unique_ptr<AuditLog> node1 = this->OpenNode();
  std::unique_ptr<AuditLog> node2 = this->OpenNode();
  ASSERT_NE(node1, nullptr);
  ASSERT_NE(node2, nullptr);
  constexpr int kThreadsPerNode = 2;
  constexpr int kAppendsPerThread = 40;
  std::vector<std::thread> writers;
  std::vector<int> failures(2 * kThreadsPerNode, 0);
  for (int t = 0; t < 2 * kThreadsPerNode; ++t) {
    AuditLog* log = t % 2 == 0 ? node1.get() : node2.get();
    writers.emplace_back([log, t, &failures] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        AuditEntry e{"node:" + std::to_string(t % 2 + 1), "case.read",
                     "case:" + std::to_string(t) + "-" + std::to_string(i), ""};
        if (!log->Append(e, kT0 + std::chrono::milliseconds(i)).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& w : writers) w.join();
  for (int f : failures) EXPECT_EQ(f, 0);

  const int total = 2 * kThreadsPerNode * kAppendsPerThread;
  AuditVerifyReport report = this->Verify();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, total);
  EXPECT_EQ(report.last_seq, total);
  Result<std::vector<AuditRecord>> all = node2->Read(1, 1000);
  ASSERT_TRUE(all.ok());
  std::set<std::string> objects;
  for (const AuditRecord& r : *all) objects.insert(r.object);
  EXPECT_EQ(objects.size(), static_cast<size_t>(total));  // none lost, none twice
}

TYPED_TEST(AuditStoreTest, R21_TheDatabaseRefusesToChangeOrDeleteARecord) {
  std::unique_ptr<AuditLog> log = this->OpenNode();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append(AuditEntry{"user:ivanova", "case.read", "case:1", ""}, kT0).ok());
  EXPECT_FALSE(this->engine_.RawExec("UPDATE audit_log SET at_ms = at_ms + 1").ok());
  EXPECT_FALSE(this->engine_.RawExec("DELETE FROM audit_log").ok());
  EXPECT_FALSE(this->engine_.RawExec("UPDATE audit_head SET seq = 7").ok());
  EXPECT_FALSE(this->engine_.RawExec("DELETE FROM audit_head").ok());
  EXPECT_TRUE(this->Verify().ok);
}

TYPED_TEST(AuditStoreTest, R21_VerificationNamesAnAlteredOrDeletedRecord) {
  std::unique_ptr<AuditLog> log = this->OpenNode();
  ASSERT_NE(log, nullptr);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(log->Append(AuditEntry{"user:ivanova", "case.read", "case:" + std::to_string(i), ""},
                            kT0 + std::chrono::seconds(i))
                    .ok());
  }
  Result<AuditAnchor> head = log->Head();
  ASSERT_TRUE(head.ok());

  ASSERT_TRUE(this->RawTamper("UPDATE audit_log SET at_ms = at_ms + 1 WHERE seq = 3").ok());
  AuditVerifyReport altered = this->Verify();
  EXPECT_FALSE(altered.ok);
  EXPECT_EQ(altered.first_bad_seq, 3);
  EXPECT_EQ(altered.problem, AuditProblem::kAltered);

  ASSERT_TRUE(this->RawTamper("DELETE FROM audit_log WHERE seq >= 3").ok());
  AuditVerifyReport truncated = this->Verify(*head);
  EXPECT_FALSE(truncated.ok);
  EXPECT_EQ(truncated.problem, AuditProblem::kTruncated);
}

}  // namespace
}  // namespace gosline
