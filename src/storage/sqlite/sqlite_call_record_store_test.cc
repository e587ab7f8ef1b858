#include "storage/sqlite/sqlite_call_record_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_case_store.h"

namespace gosline {
namespace {

namespace fs = std::filesystem;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

CallRecordRow Answered(const std::string& call_id) {
  CallRecordRow r;
  r.call_id = call_id;
  r.from = "89161234567";
  r.caller_e164 = "+79161234567";
  r.dialled = "115";
  r.region = "77";
  r.started = kT0;
  r.answered = kT0 + std::chrono::milliseconds(120);
  r.ended = kT0 + std::chrono::seconds(42);
  r.end_reason = "caller_hangup";
  r.sip_status = 200;
  r.language = "ru";
  r.ivr_path = "greeting main_menu case_status after_status";
  r.topic = "application_status";
  r.queue = "federal-application-status";
  r.case_number = "0000004217";
  r.digits = "70000004217";
  r.prompts = "ru/greeting ru/case_status_intro ru/case_status/new";
  r.ivr_end = "queued";
  return r;
}

CallRecordRow Rejected(const std::string& call_id) {
  CallRecordRow r;
  r.call_id = call_id;
  r.from = "anonymous";
  r.dialled = "999";
  r.started = kT0;
  r.ended = kT0;
  r.end_reason = "not_found";
  r.sip_status = 404;
  return r;
}

class SqliteCallRecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gosline-callrec-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/gosline.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SqliteCallRecordStore> Open() {
    auto store = SqliteCallRecordStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteCallRecordStoreTest, R14_RecordsSurviveCloseAndReopen) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Append(Answered("a@x")).ok());
    ASSERT_TRUE(store->Append(Rejected("b@x")).ok());
    ASSERT_TRUE(store->Close().ok());
    EXPECT_EQ(store->Append(Rejected("late@x")).code(), Status::Code::kFailedPrecondition);
  }
  auto store = Open();
  ASSERT_TRUE(store);
  auto found = store->FindByCallId("a@x");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  const CallRecordRow& a = found->front();
  const CallRecordRow want = Answered("a@x");
  EXPECT_EQ(a.from, want.from);
  EXPECT_EQ(a.caller_e164, want.caller_e164);
  EXPECT_EQ(a.dialled, "115");
  EXPECT_EQ(a.region, std::optional<std::string>("77"));
  EXPECT_EQ(a.started, want.started);
  EXPECT_EQ(a.answered, want.answered);
  EXPECT_EQ(a.ended, want.ended);
  EXPECT_EQ(a.end_reason, "caller_hangup");
  EXPECT_EQ(a.sip_status, 200);
  EXPECT_EQ(a.language, "ru");
  EXPECT_EQ(a.ivr_path, want.ivr_path);
  EXPECT_EQ(a.topic, "application_status");
  EXPECT_EQ(a.queue, "federal-application-status");
  EXPECT_EQ(a.case_number, "0000004217");
  EXPECT_EQ(a.digits, want.digits);
  EXPECT_EQ(a.prompts, want.prompts);
  EXPECT_EQ(a.ivr_end, "queued");

  auto b = store->FindByCallId("b@x");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 1u);
  EXPECT_FALSE(b->front().answered);
  EXPECT_FALSE(b->front().region);
  EXPECT_FALSE(b->front().caller_e164);
  EXPECT_EQ(b->front().sip_status, 404);
  EXPECT_TRUE(store->FindByCallId("late@x")->empty());
}

TEST_F(SqliteCallRecordStoreTest, FlushMeansCommittedForAnotherConnection) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Answered("c@x")).ok());
  ASSERT_TRUE(store->Flush().ok());
  // A second store on the same file (another connection) sees it at once.
  auto other = Open();
  ASSERT_TRUE(other);
  EXPECT_EQ(other->FindByCallId("c@x")->size(), 1u);
}

TEST_F(SqliteCallRecordStoreTest, ManyThreadsAppendNothingIsLostAndWritesAreBatched) {
  auto store = Open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_TRUE(store->Append(Rejected(std::to_string(t) + "-" + std::to_string(i))).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(store->Flush().ok());
  const SqliteCallRecordStore::Stats s = store->stats();
  EXPECT_EQ(s.written, static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(s.failed, 0u);
  EXPECT_LT(s.batches, s.written);  // rows share transactions
  auto recent = store->Recent(5);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 5u);
}

TEST_F(SqliteCallRecordStoreTest, SharesTheFileWithTheCaseStore) {
  auto cases = SqliteCaseStore::Open(path_);
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Answered("d@x")).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE((*cases)->Ping().ok());
  EXPECT_EQ(store->FindByCallId("d@x")->size(), 1u);
}

TEST_F(SqliteCallRecordStoreTest, AFullQueueRefusesInsteadOfGrowing) {
  SqliteCallRecordStore::Options opts;
  opts.max_queued = 0;
  auto store = SqliteCallRecordStore::Open(path_, opts);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Append(Rejected("e@x")).code(), Status::Code::kResourceExhausted);
}

}  // namespace
}  // namespace gosline
