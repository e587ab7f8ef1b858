#include "security/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-audit-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string DbPath() const { return (dir_ / "audit.db").string(); }

  std::unique_ptr<AuditLog> OpenLog() {
    auto log = AuditLog::Open(DbPath());
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(*log) : nullptr;
  }

  // Appends n records and closes the log.
  void Fill(int n) {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= n; ++i) {
      AuditEntry e{"user:ivanova", i % 2 ? "case.read" : "recording.play",
                   "case:2025-" + std::to_string(100 + i), "{\"n\":" + std::to_string(i) + "}"};
      ASSERT_TRUE(log->Append(e, kT0 + std::chrono::seconds(i)).ok());
    }
  }

  // SQL straight on the file, as an intruder with file access would.
  int RawExec(const std::string& sql, std::string* error = nullptr) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (error != nullptr) *error = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return rc;
  }
  void DropGuards() {
    ASSERT_EQ(RawExec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                      "DROP TRIGGER audit_head_forward; DROP TRIGGER audit_head_no_delete;"),
              SQLITE_OK);
  }
  AuditVerifyReport Verify(const std::optional<AuditAnchor>& anchor = std::nullopt) {
    Result<AuditVerifyReport> r = VerifyAuditChain(DbPath(), anchor);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AuditVerifyReport{};
  }

  fs::path dir_;
};

TEST_F(AuditLogTest, R21AppendsChainAndSurviveReopen) {
  Fill(3);
  auto log = OpenLog();
  Result<AuditRecord> r = log->Append({"system:retention", "retention.delete", "case:2025-1", ""}, kT0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->seq, 4);
  Result<std::vector<AuditRecord>> rows = log->Read(1, 100);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].prev_hash, kAuditGenesisHash);
  for (size_t i = 1; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].prev_hash, (*rows)[i - 1].hash);
  EXPECT_EQ((*rows)[3].hash, r->hash);
  Result<AuditAnchor> head = log->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 4);
  EXPECT_EQ(head->hash, r->hash);
  AuditVerifyReport rep = Verify(*head);
  EXPECT_TRUE(rep.ok) << rep.reason;
  EXPECT_EQ(rep.records, 4);
}

TEST_F(AuditLogTest, R21DatabaseIsWalAndDurable) {
  Fill(1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(AuditLogTest, R21TriggersRefuseUpdateAndDelete) {
  Fill(3);
  std::string err;
  EXPECT_NE(RawExec("UPDATE audit_log SET detail = 'x' WHERE seq = 2", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
  EXPECT_NE(RawExec("DELETE FROM audit_log WHERE seq = 3"), SQLITE_OK);
  EXPECT_NE(RawExec("UPDATE audit_head SET seq = 2"), SQLITE_OK);
  EXPECT_NE(RawExec("DELETE FROM audit_head"), SQLITE_OK);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, R21TamperedRecordInTheFileIsNamed) {
  Fill(6);
  DropGuards();
  ASSERT_EQ(RawExec("UPDATE audit_log SET actor = 'user:nobody' WHERE seq = 4"), SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_EQ(r.problem, AuditProblem::kAltered);
  EXPECT_NE(r.reason.find("record 4"), std::string::npos) << r.reason;
}

TEST_F(AuditLogTest, R21DeletedRecordInTheFileIsNamed) {
  Fill(6);
  DropGuards();
  ASSERT_EQ(RawExec("DELETE FROM audit_log WHERE seq = 3"), SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_EQ(r.problem, AuditProblem::kMissing);
}

TEST_F(AuditLogTest, R21DeletedTailIsCaughtByTheHead) {
  Fill(6);
  DropGuards();
  ASSERT_EQ(RawExec("DELETE FROM audit_log WHERE seq >= 5"), SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_EQ(r.problem, AuditProblem::kTruncated);
  // Head deleted too: still reported.
  ASSERT_EQ(RawExec("DELETE FROM audit_head"), SQLITE_OK);
  r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kTruncated);
}

TEST_F(AuditLogTest, R21ReorderedRecordsInTheFileAreDetected) {
  Fill(6);
  DropGuards();
  // Swap the seq numbers of records 2 and 5 (via a free seq).
  ASSERT_EQ(RawExec("UPDATE audit_log SET seq = 100 WHERE seq = 2;"
                    "UPDATE audit_log SET seq = 2 WHERE seq = 5;"
                    "UPDATE audit_log SET seq = 5 WHERE seq = 100;"),
            SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
}

TEST_F(AuditLogTest, R21InsertedRecordInTheFileIsDetected) {
  Fill(4);
  DropGuards();
  // Make room after record 2 and insert a record there.
  ASSERT_EQ(RawExec("UPDATE audit_log SET seq = seq + 100 WHERE seq > 2;"
                    "UPDATE audit_log SET seq = seq - 99 WHERE seq > 100;"
                    "INSERT INTO audit_log VALUES (3, 0, 'user:x', 'case.read', 'case:1', '', "
                    "(SELECT hash FROM audit_log WHERE seq = 2), 'forged');"),
            SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST_F(AuditLogTest, R21RecordAppendedAroundTheLogIsBeyondTheHead) {
  Fill(3);
  auto log = OpenLog();
  Result<std::vector<AuditRecord>> rows = log->Read(3, 1);
  ASSERT_TRUE(rows.ok());
  AuditRecord forged;
  forged.seq = 4;
  forged.at = kT0;
  forged.actor = "user:ivanova";
  forged.action = "login";
  forged.prev_hash = (*rows)[0].hash;
  forged.hash = ComputeAuditHash(forged);
  log.reset();
  ASSERT_EQ(RawExec("INSERT INTO audit_log VALUES (4, " + std::to_string(ToUnixMillis(kT0)) +
                    ", 'user:ivanova', 'login', '', '', '" + forged.prev_hash + "', '" +
                    forged.hash + "')"),
            SQLITE_OK);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, AuditProblem::kBeyondHead);
  EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(AuditLogTest, HostileFieldsAreStoredVerbatimAndVerify) {
  auto log = OpenLog();
  static const char kHostile[] = "'); DROP TABLE audit_log; --\0\xff\n";
  std::string detail(kHostile, sizeof kHostile - 1);  // with the NUL inside
  ASSERT_TRUE(log->Append({"user:o'brien", "case.read", "case:\"1\"", detail}, kT0).ok());
  EXPECT_EQ(log->Append({"user:x", "case.read", "", std::string(1 << 20, 'x')}, kT0).status().code(),
            Status::Code::kInvalidArgument);
  Result<std::vector<AuditRecord>> rows = log->Read(1, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].detail, detail);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, ConcurrentAppendsKeepOneChain) {
  auto log = OpenLog();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_TRUE(log->Append({"user:t" + std::to_string(t), "case.read", "", ""}, kT0).ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  // A second connection (another process) appends too.
  auto other = OpenLog();
  ASSERT_TRUE(other->Append({"cli:admin", "audit.verify", "", ""}, kT0).ok());
  AuditVerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.records, 101);
}

TEST_F(AuditLogTest, VerifyNeverCreatesAFile) {
  Result<AuditVerifyReport> r = VerifyAuditChain((dir_ / "nope.db").string());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "nope.db"));
}

}  // namespace
}  // namespace gosline::security
