// The call record stores (R13, R14, R16, R18, R30), the same tests for every
// engine: telephony's records, the contact centre's outcomes on them and the
// historical report's reads (store_engines.h).
#include <gtest/gtest.h>

#include <thread>
#include <type_traits>
#include <vector>

#include "security/storage_row_cipher.h"
#include "store_engines.h"

namespace gosline {
namespace {

using testing::PostgresEngine;
using testing::SqliteEngine;

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

template <typename Engine>
class CallRecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::unique_ptr<CallRecordStore> OpenRecords(std::shared_ptr<const RowCipher> cipher = nullptr) {
    auto store = engine_.OpenCallRecords(std::move(cipher));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<CallOutcomeStore> OpenOutcomes(std::shared_ptr<const RowCipher> cipher = nullptr) {
    auto store = engine_.OpenCallOutcomes(std::move(cipher));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<CallReportReader> OpenReports() {
    auto reader = engine_.OpenCallReports();
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(reader).value() : nullptr;
  }
  Status RawExec(const std::string& sql) { return engine_.RawExec(sql); }
  // What migration 10 does to a SQLite database sealed before it: the next
  // keyed open walks the rows again. PostgreSQL seals old digits at every open.
  void UndoDigitsSealing() {
    if constexpr (std::is_same_v<Engine, SqliteEngine>) {
      ASSERT_TRUE(engine_.RawExec("UPDATE data_key_check SET sealed_all = 0").ok());
    }
  }
  std::string RawTable(const std::string& table) {
    Result<std::string> text = engine_.RawTable(table);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return text.ok() ? *text : "";
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
TYPED_TEST_SUITE(CallRecordStoreTest, Engines, EngineName);

TYPED_TEST(CallRecordStoreTest, R14_RecordsSurviveCloseAndReopen) {
  {
    auto store = this->OpenRecords();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Append(Answered("a@x")).ok());
    ASSERT_TRUE(store->Append(Rejected("b@x")).ok());
    ASSERT_TRUE(store->Close().ok());
    EXPECT_EQ(store->Append(Rejected("late@x")).code(), Status::Code::kFailedPrecondition);
  }
  auto store = this->OpenRecords();
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

TYPED_TEST(CallRecordStoreTest, FlushMeansCommittedForAnotherConnection) {
  auto store = this->OpenRecords();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Answered("c@x")).ok());
  ASSERT_TRUE(store->Flush().ok());
  // A second store on the same data (another node) sees it at once.
  auto other = this->OpenRecords();
  ASSERT_TRUE(other);
  EXPECT_EQ(other->FindByCallId("c@x")->size(), 1u);
}

TYPED_TEST(CallRecordStoreTest, ManyThreadsAppendNothingIsLostAndWritesAreBatched) {
  auto store = this->OpenRecords();
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
  const CallRecordStore::Stats s = store->stats();
  EXPECT_EQ(s.written, static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(s.failed, 0u);
  EXPECT_LT(s.batches, s.written);  // rows share transactions
  auto recent = store->Recent(5);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 5u);
}

std::shared_ptr<const RowCipher> MakeCipher() {
  Result<security::KeyRing> ring = security::KeyRing::Parse(
      "k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  Result<security::FieldCipher> c = security::FieldCipher::Create(
      std::make_shared<const security::KeyRing>(std::move(*ring)));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::make_shared<const security::StorageRowCipher>(
      std::make_shared<const security::FieldCipher>(std::move(*c)), "key file test.key");
}

TYPED_TEST(CallRecordStoreTest, R22_CallersNumberIsSealedAndFoundByAnyForm) {
  auto cipher = MakeCipher();
  auto store = this->OpenRecords(cipher);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(Answered("f@x")).ok());
  ASSERT_TRUE(store->Append(Rejected("g@x")).ok());
  ASSERT_TRUE(store->Flush().ok());
  auto mine = store->FindByCaller("8 (916) 123-45-67", 10);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].call_id, "f@x");
  EXPECT_EQ((*mine)[0].from, "89161234567");
  EXPECT_EQ((*mine)[0].caller_e164, std::optional<std::string>("+79161234567"));
  const std::string rows = this->RawTable("call_records");
  ASSERT_NE(rows.find("f@x"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("9161234567"), std::string::npos) << rows;
}

// R22: the keys a caller pressed may hold a case number or a phone; with a
// key they are sealed at rest in both engines and read back as pressed.
TYPED_TEST(CallRecordStoreTest, R22_KeysPressedAreSealedAtRest) {
  auto cipher = MakeCipher();
  auto store = this->OpenRecords(cipher);
  ASSERT_TRUE(store);
  CallRecordRow r = Answered("d@x");
  r.digits = "17" "3141592653" "8800";
  ASSERT_TRUE(store->Append(r).ok());
  ASSERT_TRUE(store->Flush().ok());
  const std::string rows = this->RawTable("call_records");
  ASSERT_NE(rows.find("d@x"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("3141592653"), std::string::npos) << rows;
  auto mine = store->FindByCaller("+79161234567", 10);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].digits, r.digits);
}

// R22: rows written in clear before digits were sealed are sealed by the
// upgrade (SQLite: migration and the sealing walk; PostgreSQL: at open).
TYPED_TEST(CallRecordStoreTest, R22_KeysPressedInOldRowsAreSealedByTheUpgrade) {
  auto cipher = MakeCipher();
  {
    auto store = this->OpenRecords(cipher);
    ASSERT_TRUE(store);
    CallRecordRow r = Answered("old@x");
    r.digits = "2718281828";
    ASSERT_TRUE(store->Append(r).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  // As an earlier release wrote it: the keys in clear.
  ASSERT_TRUE(this->RawExec("UPDATE call_records SET digits = '2718281828' WHERE call_id = 'old@x'").ok());
  this->UndoDigitsSealing();
  auto store = this->OpenRecords(cipher);
  ASSERT_TRUE(store);
  const std::string rows = this->RawTable("call_records");
  EXPECT_EQ(rows.find("2718281828"), std::string::npos) << rows;
  auto mine = store->FindByCaller("+79161234567", 10);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].digits, "2718281828");
}

CallOutcome AnsweredOutcome(const std::string& call_id, const std::string& case_number) {
  CallOutcome o;
  o.call_id = call_id;
  o.linked_case = case_number;
  o.queue = "federal-application-status";
  o.operator_id = "op7";
  o.wait = std::chrono::seconds(12);
  o.talk = std::chrono::seconds(95);
  o.wrap_up = std::chrono::seconds(20);
  o.outcome = "answered";
  o.recording_path = "rec/2025/h@x.wav";
  return o;
}

TYPED_TEST(CallRecordStoreTest, R14_OutcomeGoesOntoTheLatestRecordOfItsCall) {
  auto records = this->OpenRecords();
  auto outcomes = this->OpenOutcomes();
  ASSERT_TRUE(records && outcomes);
  // Telephony's record is not there yet: the centre is told to retry.
  Result<bool> early = outcomes->Apply(AnsweredOutcome("h@x", "0000000017"));
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_FALSE(*early);
  EXPECT_FALSE(outcomes->Find("h@x")->has_value());

  ASSERT_TRUE(records->Append(Rejected("h@x")).ok());  // an earlier attempt, same Call-ID
  ASSERT_TRUE(records->Append(Answered("h@x")).ok());
  ASSERT_TRUE(records->Flush().ok());
  Result<bool> applied = outcomes->Apply(AnsweredOutcome("h@x", "0000000017"));
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_TRUE(*applied);

  Result<std::optional<CallOutcome>> found = outcomes->Find("h@x");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().ToString();
  const CallOutcome& o = **found;
  EXPECT_EQ(o.linked_case, "0000000017");
  EXPECT_EQ(o.operator_id, "op7");
  EXPECT_EQ(o.wait, std::optional<Duration>(std::chrono::seconds(12)));
  EXPECT_EQ(o.talk, std::optional<Duration>(std::chrono::seconds(95)));
  EXPECT_EQ(o.wrap_up, std::optional<Duration>(std::chrono::seconds(20)));
  EXPECT_EQ(o.outcome, "answered");
  EXPECT_EQ(o.recording_path, "rec/2025/h@x.wav");
  Result<std::vector<CallOutcome>> by_case = outcomes->FindByCase("0000000017");
  ASSERT_TRUE(by_case.ok());
  EXPECT_EQ(by_case->size(), 1u);  // only the latest record got it

  // An empty queue keeps telephony's.
  CallOutcome later = AnsweredOutcome("h@x", "0000000017");
  later.queue = "";
  later.outcome = "callback";
  ASSERT_TRUE(outcomes->Apply(later).ok());
  EXPECT_EQ((*outcomes->Find("h@x"))->queue, "federal-application-status");
  EXPECT_EQ((*outcomes->Find("h@x"))->outcome, "callback");
}

TYPED_TEST(CallRecordStoreTest, R14_PlaceholderKeepsTheOutcomeAndSealsTheNumber) {
  auto outcomes = this->OpenOutcomes(MakeCipher());
  ASSERT_TRUE(outcomes);
  CallOutcomeCallInfo info;
  info.from = "+79161234567";
  info.dialled = "115";
  info.region = "77";
  info.language = "ru";
  info.topic = "pensions";
  info.ivr_path = "greeting main_menu";
  info.started = kT0;
  info.ended = kT0 + std::chrono::seconds(30);
  CallOutcome o = AnsweredOutcome("i@x", "0000000018");
  o.outcome = "abandoned";
  ASSERT_TRUE(outcomes->InsertPlaceholder(o, info).ok());
  Result<std::optional<CallOutcome>> found = outcomes->Find("i@x");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->outcome, "abandoned");
  EXPECT_EQ((*found)->linked_case, "0000000018");
  const std::string rows = this->RawTable("call_records");
  EXPECT_EQ(rows.find("9161234567"), std::string::npos) << rows;
}

TYPED_TEST(CallRecordStoreTest, R18_ReportReadsTheRangeWithOutcomesOldestFirst) {
  auto records = this->OpenRecords();
  auto outcomes = this->OpenOutcomes();
  auto reports = this->OpenReports();
  ASSERT_TRUE(records && outcomes && reports);
  for (int i = 0; i < 5; ++i) {
    CallRecordRow r = Answered("r" + std::to_string(i) + "@x");
    r.started = kT0 + std::chrono::minutes(10 * (4 - i));  // written newest first
    ASSERT_TRUE(records->Append(r).ok());
  }
  ASSERT_TRUE(records->Flush().ok());
  ASSERT_TRUE(outcomes->Apply(AnsweredOutcome("r3@x", "0000000019")).ok());

  Result<std::vector<stats::ReportCall>> calls =
      reports->Read(kT0 + std::chrono::minutes(10), kT0 + std::chrono::minutes(40));
  ASSERT_TRUE(calls.ok()) << calls.status().ToString();
  ASSERT_EQ(calls->size(), 3u);  // 10, 20, 30 minutes; 40 is past the end
  EXPECT_EQ((*calls)[0].started, kT0 + std::chrono::minutes(10));
  EXPECT_EQ((*calls)[0].outcome, "answered");  // r3
  EXPECT_EQ((*calls)[0].wait, std::optional<Duration>(std::chrono::seconds(12)));
  EXPECT_EQ((*calls)[2].started, kT0 + std::chrono::minutes(30));
  EXPECT_EQ((*calls)[2].outcome, "");
  EXPECT_FALSE((*calls)[0].caller.empty());
  EXPECT_EQ((*calls)[0].region, "77");

  Result<std::vector<stats::ReportCall>> too_many =
      reports->Read(kT0, kT0 + std::chrono::hours(1), 4);
  EXPECT_EQ(too_many.status().code(), Status::Code::kResourceExhausted);
}

}  // namespace
}  // namespace gosline
