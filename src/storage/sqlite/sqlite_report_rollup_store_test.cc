// R13, R18: the rollups follow the call records and outcomes written by the
// real stores, survive a reopen, rebuild to the same figures and merge into
// hours, days, weeks and months.
#include "storage/sqlite/sqlite_report_rollup_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_recording_store.h"

namespace gosline {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;
using stats::ReportBucket;
using stats::RollupDimension;

Time At(const char* iso) { return *ParseIso8601(iso); }

CallRecordRow Record(const std::string& call_id, const char* started, const std::string& caller,
                     const std::string& topic, const std::string& queue) {
  CallRecordRow r;
  r.call_id = call_id;
  r.from = caller;
  r.caller_e164 = caller;
  r.dialled = "115";
  r.region = "77";
  r.started = At(started);
  r.answered = r.started + seconds(1);
  r.ended = r.started + minutes(5);
  r.end_reason = "caller_hangup";
  r.sip_status = 200;
  r.language = "ru";
  r.topic = topic;
  r.queue = queue;
  r.ivr_end = queue.empty() ? "completed" : "queued";
  return r;
}

CallOutcome Outcome(const std::string& call_id, const std::string& outcome, Duration wait,
                    const std::string& op = "") {
  CallOutcome o;
  o.call_id = call_id;
  o.outcome = outcome;
  o.wait = wait;
  o.operator_id = op;
  if (outcome == "answered") {
    o.talk = seconds(240);
    o.wrap_up = seconds(60);
  }
  return o;
}

class SqliteReportRollupStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gosline-rollup-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/gosline.db";
    records_ = std::move(SqliteCallRecordStore::Open(path_)).value();
    outcomes_ = std::move(SqliteCallOutcomeStore::Open(path_)).value();
    rollups_ = std::move(SqliteReportRollupStore::Open(
                             path_, {.settings = {}, .topic_agency = {{"registration", "mvd"}}}))
                   .value();
  }
  void TearDown() override {
    rollups_.reset();
    outcomes_.reset();
    records_.reset();
    fs::remove_all(dir_);
  }

  void Call(const CallRecordRow& r, const std::optional<CallOutcome>& o) {
    ASSERT_TRUE(records_->Append(r).ok());
    ASSERT_TRUE(records_->Flush().ok());
    if (o) {
      Result<bool> applied = outcomes_->Apply(*o);
      ASSERT_TRUE(applied.ok()) << applied.status().ToString();
      ASSERT_TRUE(*applied);
    }
  }

  // A morning at the line: 09:00-09:30 Moscow time is 06:00-06:30 UTC.
  void Morning() {
    Call(Record("c1", "2026-12-01T06:01:00Z", "+79160000001", "registration", "q-reg"),
         Outcome("c1", "answered", seconds(12), "op-1"));
    Call(Record("c2", "2026-12-01T06:05:00Z", "+79160000002", "registration", "q-reg"),
         Outcome("c2", "answered", seconds(45), "op-2"));
    Call(Record("c3", "2026-12-01T06:10:00Z", "+79160000003", "pensions", "q-pen"),
         Outcome("c3", "abandoned", seconds(70)));
    Call(Record("c4", "2026-12-01T06:14:00Z", "+79160000004", "pensions", "q-pen"),
         Outcome("c4", "abandoned", seconds(2)));
    Call(Record("c5", "2026-12-01T06:20:00Z", "+79160000005", "hours", ""), std::nullopt);
    // The first caller again about the same topic: a repeat contact, and c1
    // was not resolved at the first contact.
    Call(Record("c6", "2026-12-01T06:25:00Z", "+79160000001", "registration", "q-reg"),
         Outcome("c6", "answered", seconds(5), "op-1"));
  }

  std::vector<stats::IntervalRow> Read(RollupDimension d, ReportBucket b, const char* from = "2026-11-01T00:00:00Z",
                                       const char* to = "2027-01-01T00:00:00Z") {
    Result<std::vector<stats::IntervalRow>> rows =
        rollups_->Read({.from = At(from), .to = At(to), .dimension = d, .bucket = b});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<stats::IntervalRow>{};
  }

  std::string dir_, path_;
  std::unique_ptr<SqliteCallRecordStore> records_;
  std::unique_ptr<SqliteCallOutcomeStore> outcomes_;
  std::unique_ptr<SqliteReportRollupStore> rollups_;
};

TEST_F(SqliteReportRollupStoreTest, CatchUpCountsEveryCallWrittenByTheRealStores) {
  Morning();
  Result<size_t> recounted = rollups_->CatchUp();
  ASSERT_TRUE(recounted.ok()) << recounted.status().ToString();
  EXPECT_EQ(*recounted, 2u);  // 06:00 and 06:15
  ASSERT_EQ(*rollups_->CatchUp(), 0u);

  const auto quarter = Read(RollupDimension::kTotal, ReportBucket::k15Minutes);
  ASSERT_EQ(quarter.size(), 2u);
  EXPECT_EQ(quarter[0].start, At("2026-12-01T06:00:00Z"));
  EXPECT_EQ(quarter[0].figures.calls, 4);
  EXPECT_EQ(quarter[0].figures.offered, 4);
  EXPECT_EQ(quarter[0].figures.answered, 2);
  EXPECT_EQ(quarter[0].figures.answered_within, 1);
  EXPECT_EQ(quarter[0].figures.abandoned, 1);
  EXPECT_EQ(quarter[0].figures.short_abandoned, 1);
  EXPECT_EQ(quarter[0].figures.fcr_eligible, 2);
  EXPECT_EQ(quarter[0].figures.fcr_resolved, 1);  // c1 was called about again
  EXPECT_EQ(quarter[1].start, At("2026-12-01T06:15:00Z"));
  EXPECT_EQ(quarter[1].figures.ivr_contained, 1);
  EXPECT_EQ(quarter[1].figures.repeat_contacts, 1);

  const auto day = Read(RollupDimension::kTotal, ReportBucket::kDay);
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].start, At("2026-11-30T21:00:00Z"));  // 1 December, Moscow
  EXPECT_EQ(day[0].figures.calls, 6);
  EXPECT_EQ(day[0].figures.answered, 3);
  EXPECT_EQ(day[0].figures.wait_ms, 62'000);
  EXPECT_EQ(day[0].figures.handle_ms, 3 * 300'000);
  const stats::DerivedFigures d = stats::Derive(day[0].figures);
  EXPECT_DOUBLE_EQ(*d.service_level_answered, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*d.service_level_offered, 2.0 / 4.0);

  const auto topics = Read(RollupDimension::kTopic, ReportBucket::kMonth);
  ASSERT_EQ(topics.size(), 3u);
  EXPECT_EQ(topics[0].key, "hours");
  EXPECT_EQ(topics[1].key, "pensions");
  EXPECT_EQ(topics[2].key, "registration");
  EXPECT_EQ(topics[2].figures.calls, 3);
  const auto agencies = Read(RollupDimension::kAgency, ReportBucket::kWeek);
  ASSERT_EQ(agencies.size(), 2u);
  EXPECT_EQ(agencies[0].key, "(none)");
  EXPECT_EQ(agencies[1].key, "mvd");
  EXPECT_EQ(agencies[1].start, At("2026-11-29T21:00:00Z"));  // Monday 30 November, Moscow
  const auto operators = Read(RollupDimension::kOperator, ReportBucket::kHour);
  ASSERT_EQ(operators.size(), 3u);
  EXPECT_EQ(operators[1].key, "op-1");
  EXPECT_EQ(operators[1].figures.answered, 2);
}

TEST_F(SqliteReportRollupStoreTest, AnOutcomeWrittenLaterIsCountedAtTheNextCatchUp) {
  Call(Record("late", "2026-12-01T06:01:00Z", "+79160000009", "registration", "q-reg"),
       std::nullopt);
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kDay)[0].figures.answered, 0);
  ASSERT_TRUE(outcomes_->Apply(Outcome("late", "answered", seconds(3), "op-1")).ok());
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kDay)[0].figures.answered, 1);
  // A second recorded leg is a transfer.
  auto recordings = std::move(SqliteRecordingStore::Open(path_)).value();
  for (int leg : {1, 2}) {
    StoredRecording rec;
    rec.call_id = "late";
    rec.leg = leg;
    rec.file_name = "late_" + std::to_string(leg) + ".wav";
    rec.created = At("2026-12-01T06:02:00Z");
    ASSERT_TRUE(recordings->Add(rec).ok());
  }
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kDay)[0].figures.transfers, 1);
}

TEST_F(SqliteReportRollupStoreTest, RebuildGivesTheSameFiguresAndTheyOutliveDeletedRecords) {
  Morning();
  ASSERT_TRUE(rollups_->CatchUp().ok());
  const auto before = Read(RollupDimension::kQueue, ReportBucket::k15Minutes);
  {
    auto conn = std::move(sqlite::SqliteConnection::Open(path_, {})).value();
    ASSERT_TRUE(conn->Exec("DELETE FROM report_rollups").ok());
  }
  EXPECT_TRUE(Read(RollupDimension::kQueue, ReportBucket::k15Minutes).empty());
  Result<size_t> rebuilt = rollups_->Rebuild(At("2026-12-01T00:00:00Z"), At("2026-12-02T00:00:00Z"));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(*rebuilt, 96u);
  const auto after = Read(RollupDimension::kQueue, ReportBucket::k15Minutes);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].key, before[i].key);
    EXPECT_EQ(after[i].figures, before[i].figures);
  }
  // Retention deletes records; the anonymous figures stay.
  {
    auto conn = std::move(sqlite::SqliteConnection::Open(path_, {})).value();
    ASSERT_TRUE(conn->Exec("DELETE FROM call_records").ok());
  }
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kDay)[0].figures.calls, 6);
}

TEST_F(SqliteReportRollupStoreTest, ARepeatImportedOutOfOrderRecountsTheEarlierInterval) {
  Call(Record("b", "2026-12-03T06:00:00Z", "+79160000007", "registration", "q-reg"),
       Outcome("b", "answered", seconds(3), "op-1"));
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kDay)[0].figures.repeat_contacts, 0);
  // An earlier call of the same caller arrives later (an import).
  Call(Record("a", "2026-12-01T06:00:00Z", "+79160000007", "registration", "q-reg"),
       Outcome("a", "answered", seconds(3), "op-1"));
  ASSERT_TRUE(rollups_->CatchUp().ok());
  const auto days = Read(RollupDimension::kTotal, ReportBucket::kDay);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].figures.fcr_resolved, 0);
  EXPECT_EQ(days[1].figures.repeat_contacts, 1);
  EXPECT_EQ(days[1].figures.fcr_resolved, 1);
}

TEST_F(SqliteReportRollupStoreTest, CallsMadeBeforeTheRollupsExistedAreCountedOnUpgrade) {
  Morning();
  rollups_.reset();
  {
    auto conn = std::move(sqlite::SqliteConnection::Open(path_, {})).value();
    ASSERT_TRUE(conn->Exec("DELETE FROM report_rollups; DELETE FROM report_dirty_intervals;"
                           "DROP TABLE report_rollups; DROP TABLE report_dirty_intervals;"
                           "DROP TRIGGER call_records_mark_report_insert;"
                           "DROP TRIGGER call_records_mark_report_update;"
                           "DROP TRIGGER recordings_mark_report_insert;"
                           // Later migrations go too, so that 9 runs again.
                           "ALTER TABLE users DROP COLUMN password_temporary;"
                           "DROP TABLE idempotency_keys; DROP TABLE citizen_cases;"
                           "DROP TABLE call_contexts; DROP TABLE webhook_subscriptions;"
                           "DROP TABLE webhook_outbox;"
                           "DELETE FROM schema_migrations WHERE version >= 9;")
                    .ok());
  }
  rollups_ = std::move(SqliteReportRollupStore::Open(path_, {})).value();
  ASSERT_TRUE(rollups_->CatchUp().ok());
  EXPECT_EQ(Read(RollupDimension::kTotal, ReportBucket::kMonth)[0].figures.calls, 6);
}

}  // namespace
}  // namespace gosline
