#include "security/audit_log.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <utility>
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

// Group commit: appends from many threads at once share transactions, and
// the result is still one chain in which every returned record stands as
// returned.
TEST_F(AuditLogTest, GroupCommittedAppendsFromManyThreadsFormOneChain) {
  auto log = OpenLog();
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::vector<AuditRecord>> returned(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, &returned, t] {
      for (int i = 0; i < kEach; ++i) {
        Result<AuditRecord> r = log->Append(
            {"user:t" + std::to_string(t), "case.change", "case:" + std::to_string(i),
             "thread " + std::to_string(t) + " append " + std::to_string(i)},
            kT0 + std::chrono::milliseconds(i));
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        if (r.ok()) returned[t].push_back(*r);
      }
    });
  }
  for (std::thread& th : threads) th.join();

  Result<std::vector<AuditRecord>> rows = log->Read(1, 1000);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), size_t{kThreads * kEach});
  std::map<int64_t, AuditRecord> by_seq;
  for (const AuditRecord& r : *rows) by_seq[r.seq] = r;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(returned[t].size(), size_t{kEach});
    int64_t last_seq = 0;
    for (const AuditRecord& r : returned[t]) {
      // One thread's appends are chained in the order it made them.
      EXPECT_GT(r.seq, last_seq);
      last_seq = r.seq;
      auto it = by_seq.find(r.seq);
      ASSERT_NE(it, by_seq.end()) << "record " << r.seq << " returned but not in the log";
      EXPECT_EQ(it->second.hash, r.hash);
      EXPECT_EQ(it->second.prev_hash, r.prev_hash);
      EXPECT_EQ(it->second.detail, r.detail);
      EXPECT_EQ(it->second.actor, r.actor);
    }
  }
  AuditVerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok) << rep.reason;
  EXPECT_EQ(rep.records, kThreads * kEach);
  AuditLog::GroupStats stats = log->group_stats();
  EXPECT_EQ(stats.appends, uint64_t{kThreads * kEach});
  EXPECT_LE(stats.groups, stats.appends);
  EXPECT_EQ(log->appends_in_flight(), 0u);
}

// A write that fails inside a group (here a trigger refusing one record, as
// a failing disk would) fails every append of that group, writes none of
// them, and the chain goes on from the last committed record.
TEST_F(AuditLogTest, AFailedWriteFailsItsWholeGroupAndTheChainStaysValid) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Append({"user:x", "case.read", "", "first"}, kT0).ok());
  ASSERT_EQ(RawExec("CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log "
                    "WHEN NEW.detail = 'fail here' "
                    "BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;"),
            SQLITE_OK);

  // Another process holds the write lock: the next append (A) leads a group
  // of its own and waits for the lock; four more queue behind it and form
  // the next group.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto wait_in_flight = [&log](size_t n) {
    for (int i = 0; i < 3000 && log->appends_in_flight() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return log->appends_in_flight();
  };
  Result<AuditRecord> a = Status::Internal("not run");
  std::thread ta([&] { a = log->Append({"user:a", "case.read", "", "a"}, kT0); });
  const size_t leading = wait_in_flight(1);
  const char* details[4] = {"b", "c", "fail here", "d"};
  std::vector<Result<AuditRecord>> group(4, Status::Internal("not run"));
  std::vector<std::thread> tg;
  for (int i = 0; i < 4; ++i) {
    tg.emplace_back([&, i] { group[i] = log->Append({"user:g", "case.read", "", details[i]}, kT0); });
  }
  const size_t queued = wait_in_flight(5);
  EXPECT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ta.join();
  for (std::thread& t : tg) t.join();
  ASSERT_EQ(leading, 1u);
  ASSERT_EQ(queued, 5u);

  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->seq, 2);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(group[i].ok()) << details[i] << " was written in a failed group";
  }
  EXPECT_NE(group[2].status().message().find("injected write failure"), std::string::npos)
      << group[2].status().ToString();
  EXPECT_NE(group[0].status().message().find("rolled back"), std::string::npos)
      << group[0].status().ToString();
  Result<AuditAnchor> head = log->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(head->hash, a->hash);
  EXPECT_TRUE(Verify().ok);

  ASSERT_EQ(RawExec("DROP TRIGGER inject_failure"), SQLITE_OK);
  Result<AuditRecord> next = log->Append({"user:x", "case.read", "", "after"}, kT0);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->seq, 3);
  EXPECT_EQ(next->prev_hash, a->hash);
  AuditVerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok) << rep.reason;
  EXPECT_EQ(rep.records, 3);
  AuditLog::GroupStats stats = log->group_stats();
  EXPECT_EQ(stats.groups, 4u);  // {first}, {a}, {b, c, fail, d}, {after}
  EXPECT_EQ(stats.appends, 7u);
}

// kill -9 of a process in the middle of group-committed appends from many
// threads: the chain verifies, and every record an Append had returned
// (reported through a pipe before the kill) is in the log as returned.
TEST_F(AuditLogTest, KillNineDuringGroupCommitsLeavesAValidChain) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string path = DbPath();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto log = AuditLog::Open(path);
    if (!log.ok()) _exit(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&log, fd = fds[1], t] {
        for (int i = 0; i < 5000; ++i) {
          Result<AuditRecord> r =
              (*log)->Append({"user:t" + std::to_string(t), "case.change", "", "x"}, kT0);
          if (!r.ok()) _exit(3);
          // One line per write, under PIPE_BUF: lines never interleave.
          std::string line = std::to_string(r->seq) + " " + r->hash + "\n";
          if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
        }
      });
    }
    for (std::thread& th : threads) th.join();
    _exit(0);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  ASSERT_NE(in, nullptr);
  std::vector<std::pair<int64_t, std::string>> reported;
  char hash[128];
  long long seq = 0;
  while (reported.size() < 400 && fscanf(in, "%lld %127s", &seq, hash) == 2) {
    reported.emplace_back(seq, hash);
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  // Lines written before the kill are still in the pipe.
  while (fscanf(in, "%lld %127s", &seq, hash) == 2) reported.emplace_back(seq, hash);
  fclose(in);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the writer ended before the kill: " << wstatus;
  ASSERT_GE(reported.size(), 400u);

  AuditVerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok) << rep.reason;
  EXPECT_GE(rep.records, static_cast<int64_t>(reported.size()));
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  Result<std::vector<AuditRecord>> rows = log->Read(1, 100000);
  ASSERT_TRUE(rows.ok());
  std::map<int64_t, std::string> hashes;
  for (const AuditRecord& r : *rows) hashes[r.seq] = r.hash;
  for (const auto& [s, h] : reported) EXPECT_EQ(hashes[s], h) << "record " << s;
  // The log takes appends again and the chain goes on.
  Result<AuditRecord> next = log->Append({"cli:admin", "audit.verify", "", ""}, kT0);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->seq, rep.records + 1);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, VerifyNeverCreatesAFile) {
  Result<AuditVerifyReport> r = VerifyAuditChain((dir_ / "nope.db").string());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "nope.db"));
}

}  // namespace
}  // namespace gosline::security
