#include "storage/sqlite/sqlite_call_record_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

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
