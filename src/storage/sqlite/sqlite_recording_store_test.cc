// The recordings of every leg (R23, R24, R30) on a real SQLite file: each
// leg of a transferred call is its own row; deleting one keeps the row with
// its time, and leaves no case link or call record pointing at the file.
#include "storage/sqlite/sqlite_recording_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

namespace fs = std::filesystem;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

class SqliteRecordingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gosline-recstore-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/gosline.db";
    auto cases = SqliteCaseStore::Open(path_, {.synchronous = SqliteSync::kNormal});
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(*cases);
    auto store = SqliteRecordingStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    cases_.reset();
    fs::remove_all(dir_);
  }
  Case NewCase(CaseStatus status) {
    Case c;
    c.phone = "+79161234567";
    c.topic = "pensions";
    c.status = status;
    c.created_at = c.updated_at = kT0;
    Result<Case> r = cases_->Create(c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  StoredRecording Leg(const std::string& call, const std::string& case_number, int leg, Time at) {
    StoredRecording r;
    r.call_id = call;
    r.case_number = case_number;
    r.leg = leg;
    r.file_name = "var/recordings/" + case_number + "_" + call + (leg > 1 ? "_" + std::to_string(leg) : "") +
                  ".wav.sealed";
    r.created = at;
    r.sealed_key_id = "k1";
    r.size_bytes = 1000 * leg;
    Result<StoredRecording> added = store_->Add(r);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return *added;
  }
  int64_t Count(const std::string& sql) {
    auto conn = sqlite::SqliteConnection::Open(path_, {});
    EXPECT_TRUE(conn.ok());
    auto st = (*conn)->Prepare(sql);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return sqlite3_column_int64(st->raw(), 0);
  }

  std::string dir_, path_;
  std::unique_ptr<SqliteCaseStore> cases_;
  std::unique_ptr<SqliteRecordingStore> store_;
};

TEST_F(SqliteRecordingStoreTest, R24EveryLegIsKeptAndFoundByCallOrCase) {
  Case open = NewCase(CaseStatus::kNew);
  Case other = NewCase(CaseStatus::kClosed);
  StoredRecording a1 = Leg("call-a", open.number, 1, kT0);
  StoredRecording a2 = Leg("call-a", open.number, 2, kT0 + std::chrono::minutes(2));
  StoredRecording b1 = Leg("call-b", other.number, 1, kT0);
  EXPECT_GT(a2.id, a1.id);

  Result<std::vector<StoredRecording>> of_a = store_->LiveOf({"call-a"}, {});
  ASSERT_TRUE(of_a.ok()) << of_a.status().ToString();
  ASSERT_EQ(of_a->size(), 2u);  // both legs of the transferred call
  EXPECT_EQ((*of_a)[0].leg, 1);
  EXPECT_EQ((*of_a)[1].leg, 2);
  EXPECT_EQ((*of_a)[1].file_name, a2.file_name);
  EXPECT_EQ((*of_a)[1].sealed_key_id, "k1");
  EXPECT_EQ((*of_a)[1].size_bytes, 2000);
  EXPECT_EQ((*of_a)[1].created, a2.created);
  EXPECT_TRUE((*of_a)[0].case_open);
  Result<std::vector<StoredRecording>> by_case = store_->LiveOf({}, {other.number});
  ASSERT_TRUE(by_case.ok());
  ASSERT_EQ(by_case->size(), 1u);
  EXPECT_EQ((*by_case)[0].id, b1.id);
  EXPECT_FALSE((*by_case)[0].case_open);
  EXPECT_EQ(store_->LiveOf({"call-a"}, {other.number})->size(), 3u);
  EXPECT_TRUE(store_->LiveOf({}, {})->empty());

  // Paged by creation time and id.
  Result<std::vector<StoredRecording>> early = store_->LiveBefore(kT0, 0, 1);
  ASSERT_TRUE(early.ok());
  ASSERT_EQ(early->size(), 1u);
  EXPECT_EQ((*early)[0].id, a1.id);
  early = store_->LiveBefore(kT0, a1.id, 10);
  ASSERT_EQ(early->size(), 1u);
  EXPECT_EQ((*early)[0].id, b1.id);
}

TEST_F(SqliteRecordingStoreTest, R24DeletedRecordingsKeepTheirRowButNothingPointsAtTheFile) {
  Case c = NewCase(CaseStatus::kNew);
  StoredRecording leg1 = Leg("call-a", c.number, 1, kT0);
  StoredRecording leg2 = Leg("call-a", c.number, 2, kT0);
  // The case links both legs, as the centre does; the call record names the last.
  Result<Case> stored = cases_->GetByNumber(c.number);
  ASSERT_TRUE(stored.ok());
  stored->links.push_back({"recording", leg1.file_name, kT0});
  stored->links.push_back({"note", "kept", kT0});
  stored->links.push_back({"recording", leg2.file_name, kT0});
  ASSERT_TRUE(cases_->Update(*stored, stored->version).ok());

  ASSERT_TRUE(store_->MarkDeleted({leg1.id, leg2.id}, kT0 + std::chrono::hours(1)).ok());
  EXPECT_TRUE(store_->LiveOf({"call-a"}, {c.number})->empty());
  EXPECT_TRUE(store_->LiveBefore(kT0 + std::chrono::hours(2), 0, 10)->empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM recordings WHERE deleted_at_ms IS NOT NULL"), 2);

  Result<Case> after = cases_->GetByNumber(c.number);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->links.size(), 3u);  // in place: the case's later links keep their order
  for (const CaseLink& l : after->links) EXPECT_NE(l.kind, "recording");
  EXPECT_EQ(after->links[0].kind, "recording_deleted");
  EXPECT_EQ(after->links[0].ref, "");
  EXPECT_EQ(after->links[1].ref, "kept");
  // The case takes new links after that, as before.
  after->links.push_back({"recording", "var/recordings/new.wav.sealed", kT0});
  ASSERT_TRUE(cases_->Update(*after, after->version).ok());
  EXPECT_EQ(cases_->GetByNumber(c.number)->links.size(), 4u);
  // Marking again changes nothing.
  ASSERT_TRUE(store_->MarkDeleted({leg1.id}, kT0 + std::chrono::hours(5)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM recordings WHERE deleted_at_ms = " +
                  std::to_string(ToUnixMillis(kT0 + std::chrono::hours(1)))),
            2);
}

TEST_F(SqliteRecordingStoreTest, R23TheMigrationCarriesOverTheRecordingsCallRecordsNamed) {
  // A database as migration 6 left it: a call record naming its recording.
  store_.reset();
  cases_.reset();
  fs::remove(path_);
  auto cases = SqliteCaseStore::Open(path_, {.synchronous = SqliteSync::kNormal});
  ASSERT_TRUE(cases.ok());
  {
    auto conn = sqlite::SqliteConnection::Open(path_, {});
    ASSERT_TRUE(conn.ok());
    // Every table of a later migration goes too, so that 7 runs again.
    ASSERT_TRUE((*conn)->Exec("DROP TABLE recordings; DROP INDEX case_links_by_recording;"
                              "DROP INDEX call_records_by_recording; DROP TABLE line_probes;"
                              "DROP TRIGGER call_records_mark_report_insert;"
                              "DROP TRIGGER call_records_mark_report_update;"
                              "DROP TABLE report_rollups; DROP TABLE report_dirty_intervals;"
                              "ALTER TABLE users DROP COLUMN password_temporary;"
                              "DROP TABLE idempotency_keys; DROP TABLE citizen_cases;"
                              "DROP TABLE call_contexts; DROP TABLE webhook_subscriptions;"
                              "DROP TABLE webhook_outbox;"
                              "DELETE FROM schema_migrations WHERE version >= 7;"
                              "INSERT INTO call_records (call_id, from_number, dialled, started_at_ms, "
                              "ended_at_ms, end_reason, sip_status, language, ivr_path, topic, queue, "
                              "case_number, digits, prompts, ivr_end, linked_case, recording_path) VALUES "
                              "('old-call', '', '115', 1000, 2000, 'x', 200, '', '', '', '', '', '', '', '', "
                              "'0000000042', 'var/recordings/0000000042_old-call.wav')")
                    .ok());
  }
  auto store = SqliteRecordingStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::vector<StoredRecording>> carried = (*store)->LiveOf({"old-call"}, {});
  ASSERT_TRUE(carried.ok());
  ASSERT_EQ(carried->size(), 1u);
  EXPECT_EQ((*carried)[0].case_number, "0000000042");
  EXPECT_EQ((*carried)[0].file_name, "var/recordings/0000000042_old-call.wav");
  EXPECT_EQ((*carried)[0].created, FromUnixMillis(1000));
}

}  // namespace
}  // namespace gosline
