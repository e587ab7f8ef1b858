// R23 on a simulated clock: the retention job over a real SQLite file, with
// times passed in, proves what is kept and what goes.
#include "app/retention_job.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_recording_store.h"

namespace gosline {
namespace {
namespace fs = std::filesystem;
using std::chrono::days;

const Time kDay0 = FromUnixMillis(1'767'225'600'000);  // 2026-01-01

class RetentionJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-retention-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "cases.db").string();
    auto cases = SqliteCaseStore::Open(db_, {.synchronous = SqliteSync::kNormal});
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(*cases);
    auto calls = SqliteCallRecordStore::Open(db_, {.synchronous = SqliteSync::kNormal});
    ASSERT_TRUE(calls.ok());
    calls_ = std::move(*calls);
    auto store = SqliteRetentionStore::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    retention_ = std::move(*store);
    job_ = std::make_unique<RetentionJob>(
        *retention_, security::RetentionPolicy{},
        [this](const std::string& path) {
          removed_.push_back(path);
          return Status::Ok();
        },
        [this](const std::string& action, const std::string& detail) {
          audit_.push_back(action + " " + detail);
        },
        2 /* small batches: paging is exercised */);
  }
  void TearDown() override {
    job_.reset();
    retention_.reset();
    calls_.reset();
    cases_.reset();
    fs::remove_all(dir_);
  }

  Case MakeCase(const std::string& phone, CaseStatus status, Time created, Time updated) {
    Case c;
    c.phone = phone;
    c.topic = "pensions";
    c.region = "77";
    c.status = status;
    c.summary = "summary of " + phone;
    c.created_at = created;
    c.updated_at = updated;
    c.history.push_back({0, created, "op1", "note", "note about " + phone});
    Result<Case> r = cases_->Create(c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  void AddCall(const std::string& call_id, Time started, const std::string& case_number,
               const std::string& recording = "") {
    CallRecordRow r;
    r.call_id = call_id;
    r.from = "+79160000001";
    r.caller_e164 = "+79160000001";
    r.dialled = "115";
    r.started = started;
    r.ended = started + std::chrono::minutes(3);
    r.end_reason = "caller_hangup";
    r.case_number = case_number;
    r.digits = "12";
    ASSERT_TRUE(calls_->Append(r).ok());
    ASSERT_TRUE(calls_->Flush().ok());
    if (!recording.empty()) {
      auto conn = sqlite::SqliteConnection::Open(db_, {});
      ASSERT_TRUE(conn.ok());
      ASSERT_TRUE((*conn)->Exec("UPDATE call_records SET recording_path = '" + recording +
                                "' WHERE call_id = '" + call_id + "'")
                      .ok());
    }
  }
  std::map<std::string, CallRecordRow> Calls() {
    std::map<std::string, CallRecordRow> out;
    Result<std::vector<CallRecordRow>> rows = calls_->Recent(100);
    EXPECT_TRUE(rows.ok());
    for (const CallRecordRow& r : *rows) out[r.call_id] = r;
    return out;
  }
  RetentionReport Run(Time now) {
    Result<RetentionReport> r = job_->RunOnce(now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RetentionReport{};
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<SqliteCaseStore> cases_;
  std::unique_ptr<SqliteCallRecordStore> calls_;
  std::unique_ptr<SqliteRetentionStore> retention_;
  std::unique_ptr<RetentionJob> job_;
  std::vector<std::string> removed_;
  std::vector<std::string> audit_;
};

TEST_F(RetentionJobTest, R23KeepsOpenCasesAndRecordingsRemovesTheRestOnTime) {
  Case open = MakeCase("+79161110000", CaseStatus::kInProgress, kDay0, kDay0);
  Case closed = MakeCase("+79162220000", CaseStatus::kClosed, kDay0, kDay0 + days(1));
  AddCall("about-open", kDay0, open.number);
  AddCall("about-closed", kDay0, closed.number);
  AddCall("no-case", kDay0, "");
  AddCall("recorded", kDay0, "", "rec/recorded.opus");
  AddCall("late", kDay0 + days(20), "");

  // Day 29: nothing is due yet.
  RetentionReport early = Run(kDay0 + days(29));
  EXPECT_EQ(early.call_records_deleted + early.call_records_stripped + early.cases_erased, 0);
  EXPECT_EQ(Calls().size(), 5u);

  // Day 31: calls of day 0 not tied to an open case go; the closed case
  // (last change day 1) loses its personal data; the open case keeps all.
  RetentionReport r = Run(kDay0 + days(31));
  EXPECT_EQ(r.call_records_deleted, 2);   // about-closed, no-case
  EXPECT_EQ(r.call_records_stripped, 1);  // recorded: kept for the recording
  EXPECT_EQ(r.cases_erased, 1);
  std::map<std::string, CallRecordRow> calls = Calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls["about-open"].from, "+79160000001");
  EXPECT_EQ(calls["late"].from, "+79160000001");
  EXPECT_EQ(calls["recorded"].from, "");
  EXPECT_FALSE(calls["recorded"].caller_e164.has_value());
  EXPECT_EQ(calls["recorded"].digits, "");

  Result<Case> kept = cases_->GetByNumber(open.number);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->phone, "+79161110000");
  EXPECT_EQ(kept->history.at(0).detail, "note about +79161110000");
  Result<Case> erased = cases_->GetByNumber(closed.number);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(erased->phone, "");
  EXPECT_EQ(erased->summary, "");
  EXPECT_FALSE(erased->portal_account_id.has_value());
  EXPECT_EQ(erased->history.at(0).detail, "");
  // What stays for statistics.
  EXPECT_EQ(erased->topic, "pensions");
  EXPECT_EQ(erased->region, "77");
  EXPECT_EQ(erased->status, CaseStatus::kClosed);
  EXPECT_EQ(erased->history.at(0).action, "note");
  EXPECT_TRUE(cases_->FindByPhone("+79162220000", 5)->empty());

  // Audited with counts and ids, never the data.
  ASSERT_FALSE(audit_.empty());
  bool case_audited = false;
  for (const std::string& a : audit_) {
    EXPECT_EQ(a.find("+7916"), std::string::npos) << a;
    if (a.find("retention.cases 1 ") == 0 && a.find(closed.number) != std::string::npos) {
      case_audited = true;
    }
  }
  EXPECT_TRUE(case_audited);

  // Running again at the same time changes nothing.
  RetentionReport again = Run(kDay0 + days(31));
  EXPECT_EQ(again.call_records_deleted + again.call_records_stripped + again.cases_erased, 0);

  // The open case closes on day 40: its call goes 30 days later, not before.
  kept->status = CaseStatus::kClosed;
  kept->updated_at = kDay0 + days(40);
  ASSERT_TRUE(cases_->Update(*kept, kept->version).ok());
  Run(kDay0 + days(69));
  EXPECT_EQ(Calls().count("about-open"), 1u);
  Run(kDay0 + days(71));
  EXPECT_EQ(Calls().count("about-open"), 0u);
  EXPECT_EQ(Calls().count("late"), 0u);

  // The recording stays five years, then file and row go.
  EXPECT_TRUE(removed_.empty());
  Run(kDay0 + days(5 * 365));
  EXPECT_EQ(Calls().count("recorded"), 1u);
  RetentionReport years = Run(kDay0 + days(5 * 365 + 3));
  EXPECT_EQ(years.recordings_deleted, 1);
  EXPECT_EQ(removed_, std::vector<std::string>{"rec/recorded.opus"});
  EXPECT_TRUE(Calls().empty());
}

TEST_F(RetentionJobTest, R23ConfigurablePeriodsAndAFailedFileRemovalIsRetried) {
  AddCall("recorded", kDay0, "", "rec/a.opus");
  int attempts = 0;
  RetentionJob job(
      *retention_, RetentionPolicyFromDays(7, 7, 10),
      [&](const std::string&) {
        return ++attempts == 1 ? Status::IoError("disk busy") : Status::Ok();
      },
      [](const std::string&, const std::string&) {});
  Result<RetentionReport> r = job.RunOnce(kDay0 + days(8));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->call_records_stripped, 1);
  r = job.RunOnce(kDay0 + days(11));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recordings_failed, 1);
  EXPECT_EQ(Calls().size(), 1u);
  r = job.RunOnce(kDay0 + days(12));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recordings_deleted, 1);
  EXPECT_TRUE(Calls().empty());
  // A period under a day is refused rather than deleting everything at once.
  RetentionJob bad(*retention_, RetentionPolicyFromDays(0, 30, 30), nullptr,
                   [](const std::string&, const std::string&) {});
  EXPECT_EQ(bad.RunOnce(kDay0).status().code(), Status::Code::kInvalidArgument);
}

// R23: every leg of a transferred call is kept its five years and then
// deleted: file removed, row marked, case link cleared, audited by name.
// Before the recordings were tracked, retention found a recording only
// through the call record, which named the last leg alone.
TEST_F(RetentionJobTest, R23EveryLegIsDeletedAfterItsPeriodAndAudited) {
  auto recordings = SqliteRecordingStore::Open(db_);
  ASSERT_TRUE(recordings.ok()) << recordings.status().ToString();
  const fs::path folder = dir_ / "recordings";
  fs::create_directories(folder);
  std::vector<fs::path> files;
  Case done = MakeCase("+79162220000", CaseStatus::kClosed, kDay0, kDay0 + days(1));
  Case open = MakeCase("+79161110000", CaseStatus::kInProgress, kDay0, kDay0);
  auto record = [&](const Case& c, const std::string& call, int leg) {
    const fs::path file = folder / (c.number + "_" + call + "_" + std::to_string(leg) + ".wav.sealed");
    std::ofstream(file) << "sealed";
    StoredRecording row;
    row.call_id = call;
    row.case_number = c.number;
    row.leg = leg;
    row.file_name = file.string();
    row.created = kDay0;
    ASSERT_TRUE((*recordings)->Add(row).ok());
    Result<Case> stored = cases_->GetByNumber(c.number);
    ASSERT_TRUE(stored.ok());
    stored->links.push_back({"recording", file.string(), kDay0});
    ASSERT_TRUE(cases_->Update(*stored, stored->version).ok());
    files.push_back(file);
  };
  for (const char* call : {"sip-1", "sip-2"}) {
    AddCall(call, kDay0, done.number);
    record(done, call, 1);
    record(done, call, 2);  // after the transfer
  }
  AddCall("sip-3", kDay0, open.number);
  record(open, "sip-3", 1);
  const fs::path open_file = files.back();
  files.pop_back();

  std::vector<std::string> audit;
  RetentionJob job(
      *retention_, security::RetentionPolicy{},
      [](const std::string& file) -> Status {
        std::error_code ec;
        return fs::remove(file, ec) ? Status::Ok() : Status::NotFound(file);
      },
      [&](const std::string& action, const std::string& detail) { audit.push_back(action + " " + detail); },
      2 /* small batches: paging is exercised */, recordings->get());
  ASSERT_TRUE(job.RunOnce(kDay0 + days(5 * 365 - 1)).ok());
  for (const fs::path& f : files) EXPECT_TRUE(fs::exists(f)) << f;  // not yet

  Result<RetentionReport> r = job.RunOnce(kDay0 + days(5 * 365 + 3));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recordings_deleted, 4);
  for (const fs::path& f : files) EXPECT_FALSE(fs::exists(f)) << f;
  EXPECT_TRUE(fs::exists(open_file));  // its case is still open
  Result<Case> after = cases_->GetByNumber(done.number);
  ASSERT_TRUE(after.ok());
  for (const CaseLink& l : after->links) EXPECT_NE(l.kind, "recording");
  EXPECT_TRUE((*recordings)->LiveOf({"sip-1", "sip-2"}, {})->empty());
  std::string listed;
  for (const std::string& a : audit) {
    if (a.rfind("retention.recordings ", 0) == 0) listed += a;
  }
  for (const fs::path& f : files) EXPECT_NE(listed.find(f.filename().string()), std::string::npos) << listed;
  // Running again deletes nothing more.
  r = job.RunOnce(kDay0 + days(5 * 365 + 4));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recordings_deleted, 0);
}

}  // namespace
}  // namespace gosline
