// The contact centre on a manual clock, stepped by hand, with the real
// routing core, real SQLite stores in a temp dir and, as telephony, a
// connector that writes down what it was asked to do (the test's peer).
#include "app/contact_centre/contact_centre.h"
#include "core/cases/case_handlers.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <filesystem>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "config/config_vocabulary.h"
#include "core/common/system_clock.h"
#include "app/contact_centre/routing_applier.h"
#include "core/cases/case_number.h"
#include "config/config.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_recording_store.h"

namespace gosline::contact_centre {
namespace {

using namespace std::chrono_literals;

const Time kStart = FromUnixMillis(1'795'600'800'000);  // 2026-11-25 07:20 UTC
constexpr const char* kPhone = "+79161234567";

struct RecordingConnector final : CallConnector {
  std::vector<OperatorRing> rings;
  std::vector<CallId> cancels;
  std::vector<WaitAnnouncement> announcements;
  std::vector<std::pair<CallId, std::string>> hangups;
  std::vector<CallId> releases;
  void RingOperator(const OperatorRing& ring) override { rings.push_back(ring); }
  void CancelRing(CallId call) override { cancels.push_back(call); }
  void Announce(const WaitAnnouncement& a) override { announcements.push_back(a); }
  void Hangup(CallId call, std::string reason) override { hangups.emplace_back(call, reason); }
  void ReleaseOperator(CallId call) override { releases.push_back(call); }
};

// For the tests that run the worker thread: the operators rung, in order,
// with a condition variable to wait on (bounded by the test).
struct RingWaiter final : CallConnector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> rung;
  void RingOperator(const OperatorRing& ring) override {
    std::lock_guard l(mu);
    rung.push_back(ring.operator_id);
    cv.notify_all();
  }
  void CancelRing(CallId) override {}
  void Announce(const WaitAnnouncement&) override {}
  void Hangup(CallId, std::string) override {}
  void ReleaseOperator(CallId) override {}
};

Config CaseConfig() {
  Config cfg;
  cfg.topics = {Topic{"registration", {{"ru", "Регистрация"}}, "", "1", false, true},
                Topic{"taxes", {{"ru", "Налоги"}}, "", "2", false, false}};
  cfg.regions = {Region{"77", "Москва", std::chrono::minutes(180), ""}};
  return cfg;
}

routing::RoutingTopology Topology() {
  routing::RoutingTopology t;
  t.languages = {"ru"};
  t.topics = {{"registration", false}, {"taxes", false}};
  t.centres = {"federal"};
  t.queues = {{"federal-registration", "registration", "federal"}, {"federal-taxes", "taxes", "federal"}};
  return t;
}

routing::RoutingConfig Routing() {
  routing::RoutingConfig c;
  c.settings.wrap_up = 10s;
  c.settings.no_answer = 20s;
  c.settings.default_handle_time = 60s;
  c.operators = {{"ivanova", "Иванова", {{"registration", 9}}, {"ru"}, {}, "federal"},
                 {"petrov", "Петров", {{"registration", 5}, {"taxes", 8}}, {"ru"}, {}, "federal"}};
  return c;
}

class ContactCentreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_centre_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "gosline.db").string();
    auto store = SqliteCaseStore::Open(db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto records = SqliteCallRecordStore::Open(db);
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    records_ = std::move(records).value();
    auto outcomes = SqliteCallOutcomeStore::Open(db);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    outcomes_ = std::move(outcomes).value();
    auto recordings = SqliteRecordingStore::Open(db);
    ASSERT_TRUE(recordings.ok()) << recordings.status().ToString();
    recordings_ = std::move(recordings).value();
    cases_ = std::make_unique<CaseService>(*store_, workflow_, clock_);
    CentreOptions options;
    options.contacts = {{"ivanova", "sip:ivanova@127.0.0.1:5090"}};
    auto centre = ContactCentre::Create(Topology(), Routing(), options, *cases_, outcomes_.get(), clock_,
                                        recordings_.get());
    ASSERT_TRUE(centre.ok()) << centre.status().ToString();
    centre_ = std::move(centre).value();
    centre_->SetConnector(&phone_);
  }
  void TearDown() override {
    centre_.reset();
    cases_.reset();
    recordings_.reset();
    outcomes_.reset();
    records_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  WaitingCall Call(CallId id, const std::string& topic = "registration", const std::string& caller = kPhone) {
    WaitingCall c;
    c.id = id;
    c.sip_call_id = "sip-" + std::to_string(id);
    c.caller = caller;
    c.dialled = "115";
    c.caller_region = "77";
    c.language = "ru";
    c.topic = topic;
    c.ivr_path = "main registration";
    c.collected = {{"snils", "123-456-789 00"}};
    c.started_at = clock_.Now();
    return c;
  }
  // What telephony writes when the call ends (its own row for the Call-ID).
  void TelephonyRow(CallId id) {
    CallRecordRow row;
    row.call_id = "sip-" + std::to_string(id);
    row.from = kPhone;
    row.dialled = "115";
    row.started = kStart;
    row.ended = clock_.Now();
    row.end_reason = "caller_hangup";
    row.sip_status = 200;
    row.queue = "federal-registration";
    ASSERT_TRUE(records_->Append(row).ok());
    ASSERT_TRUE(records_->Flush().ok());
  }
  void Ready(const std::string& op) { ASSERT_TRUE(centre_->SetOperatorState(op, "ready", "").ok()); }
  std::string StateOf(const std::string& op) {
    auto v = centre_->Operator(op);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->state : "";
  }
  void Advance(Duration d) {
    clock_.Advance(d);
    centre_->Step();
  }
  Case CaseOf(const std::string& number) {
    auto c = cases_->Get(number);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : Case{};
  }
  std::optional<CallOutcome> OutcomeOf(CallId id) {
    auto o = outcomes_->Find("sip-" + std::to_string(id));
    EXPECT_TRUE(o.ok());
    return o.ok() ? *o : std::nullopt;
  }

  std::filesystem::path dir_;
  ManualClock clock_{kStart};
  Config config_ = CaseConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_{WeeklyHours{}, std::chrono::minutes(180), {}, {}, {}};
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<SqliteCallRecordStore> records_;
  std::unique_ptr<SqliteCallOutcomeStore> outcomes_;
  std::unique_ptr<SqliteRecordingStore> recordings_;
  std::unique_ptr<CaseService> cases_;
  RecordingConnector phone_;
  std::unique_ptr<ContactCentre> centre_;
};

TEST_F(ContactCentreTest, R12_ReadyOperatorIsRungWithStaticContactAndCaseNumber) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  EXPECT_TRUE(phone_.rings.empty()) << "queued, not routed on the caller's thread";
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  const OperatorRing& ring = phone_.rings[0];
  EXPECT_EQ(ring.call, 1u);
  EXPECT_EQ(ring.operator_id, "ivanova");
  EXPECT_EQ(ring.static_contact, "sip:ivanova@127.0.0.1:5090");
  EXPECT_EQ(ring.topic, "registration");
  ASSERT_FALSE(ring.case_number.empty());
  Case c = CaseOf(ring.case_number);
  EXPECT_EQ(c.phone, kPhone);
  EXPECT_EQ(c.channel, Channel::kCall);
  EXPECT_EQ(c.topic, "registration");
  EXPECT_EQ(c.region, "77");
  EXPECT_EQ(StateOf("ivanova"), "ringing");

  auto pop = centre_->ScreenPopOf("ivanova");
  ASSERT_TRUE(pop.ok());
  EXPECT_EQ(pop->caller, kPhone);
  EXPECT_EQ(pop->ivr_path, "main registration");
  EXPECT_EQ(pop->case_number, ring.case_number);
  EXPECT_TRUE(phone_.announcements.empty()) << "a call rung at once hears no position";
}

TEST_F(ContactCentreTest, RingFailedRequeuesAtHeadAndSetsOperatorNotReady) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  clock_.Advance(1s);
  centre_->CallEnqueued(Call(2), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  centre_->OperatorRingFailed(1, "busy", clock_.Now());
  Advance(1s);
  EXPECT_EQ(StateOf("ivanova"), "not_ready");
  EXPECT_EQ(centre_->Operator("ivanova")->reason, "busy");
  EXPECT_TRUE(phone_.cancels.empty()) << "telephony already stopped ringing";
  Ready("petrov");
  ASSERT_EQ(phone_.rings.size(), 2u);
  EXPECT_EQ(phone_.rings[1].call, 1u) << "the failed call is back at the head";
  EXPECT_EQ(phone_.rings[1].operator_id, "petrov");
  EXPECT_EQ(phone_.rings[1].static_contact, "") << "no static contact: registration only";
}

TEST_F(ContactCentreTest, NoAnswerInTimeCancelsRinging) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  Advance(21s);
  ASSERT_EQ(phone_.cancels.size(), 1u);
  EXPECT_EQ(phone_.cancels[0], 1u);
  EXPECT_EQ(StateOf("ivanova"), "not_ready");
}

TEST_F(ContactCentreTest, CallerHangingUpWhileWaitingIsAbandonedWithItsWait) {
  ASSERT_TRUE(centre_->SetOperatorState("ivanova", "not_ready", "lunch").ok());
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.announcements.size(), 1u);
  EXPECT_EQ(phone_.announcements[0].position, 1u);
  Advance(42s);
  centre_->CallerHungUp(1, clock_.Now());
  TelephonyRow(1);
  centre_->Step();
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->outcome, "abandoned");
  ASSERT_TRUE(o->wait.has_value());
  EXPECT_EQ(*o->wait, 42s);
  EXPECT_FALSE(o->talk.has_value());
  ASSERT_FALSE(o->linked_case.empty());
  Case c = CaseOf(o->linked_case);
  EXPECT_NE(c.history.back().detail.find("abandoned"), std::string::npos) << c.history.back().detail;
  EXPECT_NE(c.history.back().detail.find("waited 42 s"), std::string::npos);
  CentreSnapshot s = centre_->Snapshot();
  for (const QueueView& q : s.queues) {
    if (q.id != "federal-registration") continue;
    EXPECT_EQ(q.figures.offered_today, 1u);
    EXPECT_EQ(q.figures.abandoned_today, 1u);
  }
}

TEST_F(ContactCentreTest, OutcomeWithoutATelephonyRowGetsARowOfItsOwnAfterTheGrace) {
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  Advance(7s);
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  EXPECT_FALSE(OutcomeOf(1).has_value()) << "waits for telephony's row first";
  Advance(std::chrono::minutes(1));
  EXPECT_FALSE(OutcomeOf(1).has_value());
  Advance(std::chrono::minutes(1) + 1s);
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->outcome, "abandoned");
  EXPECT_EQ(o->wait, std::optional<Duration>(7s));
  auto rows = records_->FindByCallId("sip-1");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].from, kPhone);
  EXPECT_EQ((*rows)[0].topic, "registration");
  auto by_case = outcomes_->FindByCase(o->linked_case);
  ASSERT_TRUE(by_case.ok());
  EXPECT_EQ(by_case->size(), 1u);
}

TEST_F(ContactCentreTest, StopHandlesTheHangUpsAlreadyQueued) {
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  const size_t told = phone_.announcements.size();
  clock_.Advance(3s);
  centre_->CallerHungUp(1, clock_.Now());
  TelephonyRow(1);
  centre_->Stop();
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->outcome, "abandoned");
  EXPECT_EQ(phone_.announcements.size(), told) << "telephony is not asked anything after Stop";
}

TEST_F(ContactCentreTest, WaitingCallerHearsPositionEveryAnnounceInterval) {
  ASSERT_TRUE(centre_->SetOperatorState("ivanova", "not_ready", "lunch").ok());
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->CallEnqueued(Call(2, "registration", "+79169876543"), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.announcements.size(), 2u);
  EXPECT_EQ(phone_.announcements[1].call, 2u);
  EXPECT_EQ(phone_.announcements[1].position, 2u);
  Advance(44s);
  EXPECT_EQ(phone_.announcements.size(), 2u);
  Advance(1s);
  EXPECT_EQ(phone_.announcements.size(), 4u);
}

TEST_F(ContactCentreTest, R14_TalkAndWrapUpTimesAndRecordingOnTheCallRecord) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  clock_.Advance(5s);
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(90s);
  EXPECT_EQ(StateOf("ivanova"), "on_call");
  centre_->OperatorHungUp(1, clock_.Now());
  centre_->Step();
  EXPECT_EQ(StateOf("ivanova"), "wrap_up");
  TelephonyRow(1);
  centre_->RecordingSaved(1, {"var/recordings/sip-1.wav", 90s, "", 0});
  Advance(10s);  // wrap-up time of the test configuration
  EXPECT_EQ(StateOf("ivanova"), "ready");
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->outcome, "answered");
  EXPECT_EQ(o->operator_id, "ivanova");
  EXPECT_EQ(o->queue, "federal-registration");
  EXPECT_EQ(o->wait, std::optional<Duration>(5s));
  EXPECT_EQ(o->talk, std::optional<Duration>(90s));
  EXPECT_EQ(o->wrap_up, std::optional<Duration>(10s));
  EXPECT_EQ(o->recording_path, "var/recordings/sip-1.wav");
  Case c = CaseOf(o->linked_case);
  bool recording_linked = false;
  for (const CaseLink& l : c.links) recording_linked |= l.kind == "recording" && l.ref == o->recording_path;
  EXPECT_TRUE(recording_linked);
  EXPECT_NE(c.history.back().detail.find("talked 90 s"), std::string::npos) << c.history.back().detail;
  // R20: the call assigned to ivanova made her the case's handler (number in full).
  EXPECT_TRUE(IsHandledBy(c, "user:ivanova"));
  EXPECT_FALSE(IsHandledBy(c, "user:petrov"));
}

// R30: the recording sealer binds each seal to the case the centre filed for
// the call, the case it then links the recording to; asked after the call
// ended too (the recording comes last).
TEST_F(ContactCentreTest, R30TellsTheCaseOfACallForItsRecording) {
  Ready("ivanova");
  EXPECT_EQ(centre_->CaseOfCall(1).status().code(), Status::Code::kNotFound);
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  Result<std::string> live = centre_->CaseOfCall(1);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_TRUE(CaseNumber::Normalize(*live).has_value()) << *live;
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(30s);
  centre_->OperatorHungUp(1, clock_.Now());
  centre_->Step();
  Result<std::string> ended = centre_->CaseOfCall(1);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(*ended, *live);
  centre_->RecordingSaved(1, {"var/recordings/" + *live + "_sip-1.wav", 30s, "", 0});
  centre_->Step();
  bool linked = false;
  for (const CaseLink& l : CaseOf(*live).links) linked |= l.kind == "recording";
  EXPECT_TRUE(linked);
  EXPECT_EQ(centre_->CaseOfCall(2).status().code(), Status::Code::kNotFound);
}

TEST_F(ContactCentreTest, OperatorLeavingWrapUpEarlyEndsItsTime) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(30s);
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  TelephonyRow(1);
  clock_.Advance(4s);
  Ready("ivanova");
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->talk, std::optional<Duration>(30s));
  EXPECT_EQ(o->wrap_up, std::optional<Duration>(4s));
}

// A case store whose next Update (a case note) waits until the test lets it
// go: a slow disk, made deterministic. Everything else is the real store.
class GatedCaseStore final : public CaseStore {
 public:
  explicit GatedCaseStore(CaseStore& real) : real_(real) {}
  void ArmNextUpdate() { armed_ = true; }
  std::future<void> entered() { return entered_.get_future(); }
  void Release() { release_.set_value(); }

  Result<Case> Create(const Case& c) override { return real_.Create(c); }
  Status CreateBatch(std::vector<Case>& cases) override { return real_.CreateBatch(cases); }
  Result<Case> GetByNumber(const std::string& n) override { return real_.GetByNumber(n); }
  Status Update(Case& c, int64_t expected_version) override {
    if (armed_.exchange(false)) {
      entered_.set_value();
      released_.wait();
    }
    return real_.Update(c, expected_version);
  }
  Result<std::vector<Case>> FindByPhone(const std::string& e164, int limit) override {
    return real_.FindByPhone(e164, limit);
  }
  Result<CasePage> Search(const CaseQuery& q) override { return real_.Search(q); }
  Status ForEach(const std::function<bool(const Case&)>& visit) override { return real_.ForEach(visit); }
  Status Ping() override { return real_.Ping(); }

 private:
  CaseStore& real_;
  std::atomic<bool> armed_{false};
  std::promise<void> entered_;
  std::promise<void> release_;
  std::shared_future<void> released_{release_.get_future().share()};
};

// An operator's state change decides a case note; while that note is still
// being written, another operator's state change and the wallboard's
// snapshot go through (the centre's lock is not held across the write), and
// the note is on the case once the first change is acknowledged.
TEST_F(ContactCentreTest, StateChangeIsNotBlockedBehindAnotherOperatorsSlowCaseWrite) {
  GatedCaseStore gated(*store_);
  centre_.reset();
  cases_ = std::make_unique<CaseService>(gated, workflow_, clock_);
  CentreOptions options;
  auto centre = ContactCentre::Create(Topology(), Routing(), options, *cases_, outcomes_.get(), clock_);
  ASSERT_TRUE(centre.ok()) << centre.status().ToString();
  centre_ = std::move(centre).value();
  centre_->SetConnector(&phone_);

  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(30s);
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  ASSERT_EQ(StateOf("ivanova"), "wrap_up");
  const std::string number = phone_.rings.at(0).case_number;
  const size_t notes_before = CaseOf(number).history.size();

  gated.ArmNextUpdate();
  std::future<void> entered = gated.entered();
  // Ivanova leaves wrap-up: the call is over, its note is written (slowly).
  auto slow = std::async(std::launch::async, [&] { return centre_->SetOperatorState("ivanova", "ready", ""); });
  if (entered.wait_for(10s) != std::future_status::ready) {
    gated.Release();
    FAIL() << "the case note was never written";
  }
  auto other = std::async(std::launch::async, [&] {
    Status st = centre_->SetOperatorState("petrov", "not_ready", "lunch");
    return st.ok() && centre_->Snapshot().operators.size() == 2;
  });
  const bool other_done = other.wait_for(10s) == std::future_status::ready;
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout) << "the first change waits for its note";
  gated.Release();
  EXPECT_TRUE(other_done) << "petrov's change waited behind ivanova's case write";
  EXPECT_TRUE(other.get());
  ASSERT_TRUE(slow.get().ok());
  EXPECT_GT(CaseOf(number).history.size(), notes_before) << "the acknowledged change's note is there";
  EXPECT_EQ(StateOf("petrov"), "not_ready");
  centre_.reset();  // before `gated`, which its case service writes through
  cases_.reset();
}

TEST_F(ContactCentreTest, R14_RepeatCallWithinSevenDaysReusesTheOpenCase) {
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  clock_.Advance(std::chrono::hours(24 * 6));
  Ready("ivanova");
  centre_->CallEnqueued(Call(2), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  const std::string first = phone_.rings[0].case_number;
  auto by_phone = cases_->FindByPhone(kPhone, 10);
  ASSERT_TRUE(by_phone.ok());
  EXPECT_EQ(by_phone->size(), 1u) << "the open case is reused, not duplicated";
  Case c = CaseOf(first);
  int call_links = 0;
  for (const CaseLink& l : c.links) call_links += l.kind == "call";
  EXPECT_EQ(call_links, 2);
}

TEST_F(ContactCentreTest, R14_RepeatCallAfterTheCaseClosedOpensANewLinkedCase) {
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  auto first = cases_->FindByPhone(kPhone, 10);
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  const std::string number = first->front().number;
  ASSERT_TRUE(cases_->Transition(number, CaseStatus::kResolved, "answered", Actor{"ivanova"}).ok());
  clock_.Advance(std::chrono::hours(24 * 2));
  Ready("ivanova");
  centre_->CallEnqueued(Call(2), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  const std::string second = phone_.rings[0].case_number;
  EXPECT_NE(second, number);
  Case c = CaseOf(second);
  bool linked = false;
  for (const HistoryEntry& h : c.history) linked |= h.detail.find(number) != std::string::npos;
  EXPECT_TRUE(linked);
  bool case_link = false;
  for (const CaseLink& l : c.links) case_link |= l.kind == "case" && l.ref == number;
  EXPECT_TRUE(case_link);
  Case earlier = CaseOf(number);
  EXPECT_NE(earlier.history.back().detail.find(second), std::string::npos) << earlier.history.back().detail;
  bool back_link = false;
  for (const CaseLink& l : earlier.links) back_link |= l.kind == "case" && l.ref == second;
  EXPECT_TRUE(back_link);
  auto pop = centre_->ScreenPopOf("ivanova");
  ASSERT_TRUE(pop.ok());
  ASSERT_EQ(pop->earlier_cases.size(), 1u);
  EXPECT_EQ(pop->earlier_cases[0], number);
}

TEST_F(ContactCentreTest, CallAfterEightDaysOpensAnUnlinkedCase) {
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->CallerHungUp(1, clock_.Now());
  centre_->Step();
  auto first = cases_->FindByPhone(kPhone, 10);
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  clock_.Advance(std::chrono::hours(24 * 8));
  Ready("ivanova");
  centre_->CallEnqueued(Call(2), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  EXPECT_NE(phone_.rings[0].case_number, first->front().number);
  Case c = CaseOf(phone_.rings[0].case_number);
  for (const HistoryEntry& h : c.history) {
    EXPECT_EQ(h.detail.find(first->front().number), std::string::npos) << h.detail;
  }
}

TEST_F(ContactCentreTest, R29_CallbackKeyCreatesANewCallbackCase) {
  centre_->CallEnqueued(Call(1, "taxes"), clock_.Now());
  centre_->Step();
  Advance(20s);
  centre_->CallbackRequested(1, clock_.Now());
  TelephonyRow(1);
  centre_->Step();
  auto found = cases_->FindByPhone(kPhone, 10);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  const Case* callback = nullptr;
  for (const Case& c : *found) {
    if (c.channel == Channel::kCallback) callback = &c;
  }
  ASSERT_NE(callback, nullptr);
  EXPECT_EQ(callback->status, CaseStatus::kNew);
  EXPECT_EQ(callback->topic, "taxes");
  EXPECT_EQ(callback->phone, kPhone);
  auto o = OutcomeOf(1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->outcome, "callback");
  EXPECT_EQ(o->wait, std::optional<Duration>(20s));
  Ready("petrov");
  EXPECT_TRUE(phone_.rings.empty()) << "the call left the queue";
}

TEST_F(ContactCentreTest, R12_TransferToAnotherQueueKeepsCaseAndIvrData) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(60s);
  ASSERT_TRUE(centre_->Transfer(1, TransferTarget{"federal-taxes", ""}).ok());
  ASSERT_EQ(phone_.releases.size(), 1u);
  EXPECT_EQ(StateOf("ivanova"), "wrap_up");
  Ready("petrov");
  ASSERT_EQ(phone_.rings.size(), 2u);
  EXPECT_EQ(phone_.rings[1].operator_id, "petrov");
  EXPECT_EQ(phone_.rings[1].case_number, phone_.rings[0].case_number);
  auto pop = centre_->ScreenPopOf("petrov");
  ASSERT_TRUE(pop.ok());
  EXPECT_EQ(pop->ivr_path, "main registration");
  EXPECT_EQ(pop->queue, "federal-taxes");
  ASSERT_EQ(pop->collected.size(), 1u);
  EXPECT_EQ(pop->collected[0].second, "123-456-789 00");
  EXPECT_EQ(centre_->Transfer(99, TransferTarget{"federal-taxes", ""}).code(), Status::Code::kNotFound);
  EXPECT_EQ(centre_->Transfer(1, TransferTarget{"", ""}).code(), Status::Code::kInvalidArgument);
}

// R23/R24: a transferred call is recorded once per operator; each leg is
// its own row (call, case, leg, key, size), not only the last one the call
// record names, so erasure and retention find the first operator's too.
TEST_F(ContactCentreTest, R24EveryLegOfATransferredCallIsTracked) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(60s);
  ASSERT_TRUE(centre_->Transfer(1, TransferTarget{"federal-taxes", ""}).ok());
  const std::string number = phone_.rings.at(0).case_number;
  const std::string first = "var/recordings/" + number + "_sip-1.wav.sealed";
  centre_->RecordingSaved(1, {first, 60s, "k1", 1'920'000});
  Ready("petrov");
  centre_->OperatorAnswered(1, clock_.Now());
  Advance(30s);
  centre_->CallerHungUp(1, clock_.Now());
  const std::string second = "var/recordings/" + number + "_sip-1_2.wav.sealed";
  centre_->RecordingSaved(1, {second, 30s, "k1", 960'000});
  centre_->Step();

  Result<std::vector<StoredRecording>> legs = recordings_->LiveOf({"sip-1"}, {});
  ASSERT_TRUE(legs.ok()) << legs.status().ToString();
  ASSERT_EQ(legs->size(), 2u);
  EXPECT_EQ((*legs)[0].leg, 1);
  EXPECT_EQ((*legs)[0].file_name, first);
  EXPECT_EQ((*legs)[0].case_number, number);
  EXPECT_EQ((*legs)[0].sealed_key_id, "k1");
  EXPECT_EQ((*legs)[0].size_bytes, 1'920'000);
  EXPECT_EQ((*legs)[1].leg, 2);
  EXPECT_EQ((*legs)[1].file_name, second);
  int linked = 0;
  for (const CaseLink& l : CaseOf(number).links) linked += l.kind == "recording";
  EXPECT_EQ(linked, 2);
}

TEST_F(ContactCentreTest, OperatorStateChangesAreCheckedAndSnapshotCountsThem) {
  EXPECT_EQ(centre_->SetOperatorState("nobody", "ready", "").code(), Status::Code::kNotFound);
  EXPECT_EQ(centre_->SetOperatorState("ivanova", "on_call", "").code(), Status::Code::kInvalidArgument);
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  EXPECT_EQ(centre_->SetOperatorState("ivanova", "logged_out", "").code(), Status::Code::kConflict);
  ASSERT_TRUE(centre_->SetOperatorState("petrov", "not_ready", "training").ok());
  CentreSnapshot s = centre_->Snapshot();
  ASSERT_EQ(s.operators.size(), 2u);
  const QueueView* reg = nullptr;
  for (const QueueView& q : s.queues) {
    if (q.id == "federal-registration") reg = &q;
  }
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->logged_in, 2u);
  EXPECT_EQ(reg->on_call, 1u);
  EXPECT_EQ(reg->not_ready, 1u);
  EXPECT_EQ(reg->waiting, 0u);
}

TEST_F(ContactCentreTest, SubscribersGetTheSnapshotAtMostOncePerSecond) {
  std::vector<CentreSnapshot> got;
  centre_->Subscribe([&](const CentreSnapshot& s) { got.push_back(s); });
  centre_->Step();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].operators.size(), 2u);
  Ready("ivanova");
  centre_->Step();
  EXPECT_EQ(got.size(), 1u) << "throttled";
  Advance(1s);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_FALSE(got[1].operators.empty());
  EXPECT_EQ(got[1].operators[0].id, "ivanova");
  EXPECT_EQ(got[1].operators[0].state, "ready");
}

TEST_F(ContactCentreTest, WorkerThreadRoutesQueuedEvents) {
  SystemClock system;
  CentreOptions options;
  auto made = ContactCentre::Create(Topology(), Routing(), options, *cases_, nullptr, system);
  ASSERT_TRUE(made.ok());
  std::unique_ptr<ContactCentre> centre = std::move(made).value();
  RingWaiter waiter;
  centre->SetConnector(&waiter);
  centre->Start();
  ASSERT_TRUE(centre->SetOperatorState("ivanova", "ready", "").ok());
  centre->CallEnqueued(Call(1), system.Now());
  {
    std::unique_lock l(waiter.mu);
    waiter.cv.wait_for(l, std::chrono::seconds(30), [&] { return !waiter.rung.empty(); });
    EXPECT_EQ(waiter.rung.size(), 1u);
  }
  centre->Stop();
}

// --- Reconfiguration without a restart ------------------------------

TEST_F(ContactCentreTest, ReconfigureFromAnotherThreadWhileTheWorkerRuns) {
  SystemClock system;
  auto made = ContactCentre::Create(Topology(), Routing(), CentreOptions{}, *cases_, nullptr, system);
  ASSERT_TRUE(made.ok());
  std::unique_ptr<ContactCentre> centre = std::move(made).value();
  RingWaiter waiter;
  centre->SetConnector(&waiter);
  centre->Start();
  ASSERT_TRUE(centre->SetOperatorState("ivanova", "ready", "").ok());
  centre->CallEnqueued(Call(1, "taxes"), system.Now());  // only petrov (logged out) has taxes
  routing::RoutingConfig routing = Routing();
  routing.operators[0].skills["taxes"] = 3;
  // The queued call is handled first (under the old skills), then ivanova gets it.
  ASSERT_TRUE(centre->Reconfigure(Topology(), routing, CentreOptions{}).ok());
  {
    std::unique_lock l(waiter.mu);
    waiter.cv.wait_for(l, std::chrono::seconds(30), [&] { return !waiter.rung.empty(); });
    EXPECT_EQ(waiter.rung, std::vector<std::string>{"ivanova"});
  }
  centre->Stop();
}

TEST_F(ContactCentreTest, ReconfigureGivesASkillAndTheWaitingCallRingsAtOnce) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1, "taxes"), clock_.Now());  // petrov, who has taxes, is logged out
  centre_->Step();
  EXPECT_TRUE(phone_.rings.empty());
  clock_.Advance(5s);
  routing::RoutingTopology topology = Topology();
  topology.topics.push_back({"pensions", false});
  topology.queues.push_back({"federal-pensions", "pensions", "federal"});
  routing::RoutingConfig routing = Routing();
  routing.operators[0].skills["taxes"] = 4;
  routing.operators.push_back({"sidorov", "Сидоров", {{"pensions", 5}}, {"ru"}, {}, "federal"});
  CentreOptions options;
  options.contacts = {{"ivanova", "sip:ivanova@127.0.0.1:5092"}};
  options.announce_every = 10s;
  ASSERT_TRUE(centre_->Reconfigure(topology, routing, options).ok());
  // Rung at once, on the new contact, with the call's case.
  ASSERT_EQ(phone_.rings.size(), 1u);
  EXPECT_EQ(phone_.rings[0].call, 1u);
  EXPECT_EQ(phone_.rings[0].operator_id, "ivanova");
  EXPECT_EQ(phone_.rings[0].static_contact, "sip:ivanova@127.0.0.1:5092");
  EXPECT_FALSE(phone_.rings[0].case_number.empty());
  EXPECT_EQ(StateOf("ivanova"), "ringing");
  // The new queue and operator show; a call there hears its position every 10 s now.
  CentreSnapshot s = centre_->Snapshot();
  ASSERT_EQ(s.queues.size(), 3u);
  EXPECT_EQ(s.queues[2].id, "federal-pensions");
  ASSERT_EQ(s.operators.size(), 3u);
  EXPECT_EQ(StateOf("sidorov"), "logged_out");
  centre_->CallEnqueued(Call(2, "pensions"), clock_.Now());
  centre_->Step();
  const size_t heard = phone_.announcements.size();
  EXPECT_GE(heard, 1u);
  EXPECT_EQ(centre_->Snapshot().queues[2].waiting, 1u);
  Advance(10s);
  EXPECT_EQ(phone_.announcements.size(), heard + 1);
  Ready("sidorov");
  ASSERT_EQ(phone_.rings.size(), 2u);
  EXPECT_EQ(phone_.rings[1].call, 2u);
}

TEST_F(ContactCentreTest, ReconfigureThatWouldStrandACallIsRefusedAndChangesNothing) {
  Ready("ivanova");
  centre_->CallEnqueued(Call(1), clock_.Now());
  centre_->Step();
  centre_->OperatorAnswered(1, clock_.Now());
  centre_->Step();
  ASSERT_EQ(StateOf("ivanova"), "on_call");
  const CentreSnapshot before = centre_->Snapshot();
  routing::RoutingConfig without_ivanova = Routing();
  without_ivanova.operators.erase(without_ivanova.operators.begin());
  Status st = centre_->Reconfigure(Topology(), without_ivanova, CentreOptions{});
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("operator ivanova is on a call; set them logged out first"), std::string::npos)
      << st.message();
  routing::RoutingConfig invalid = Routing();
  invalid.operators[1].centre = "atlantis";
  EXPECT_EQ(centre_->Reconfigure(Topology(), invalid, CentreOptions{}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(centre_->Snapshot(), before);
  // petrov, logged out, may go.
  routing::RoutingConfig without_petrov = Routing();
  without_petrov.operators.pop_back();
  ASSERT_TRUE(centre_->Reconfigure(Topology(), without_petrov, CentreOptions{}).ok());
  EXPECT_FALSE(centre_->HasOperator("petrov"));
  EXPECT_EQ(centre_->Operator("petrov").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(centre_->Snapshot().operators.size(), 1u);
  // The call goes on as before.
  EXPECT_EQ(StateOf("ivanova"), "on_call");
  centre_->OperatorHungUp(1, clock_.Now());
  centre_->Step();
  EXPECT_EQ(StateOf("ivanova"), "wrap_up");
}

TEST_F(ContactCentreTest, ApplyRoutingConfigTakesTopologyRoutingAndPhonesFromTheConfig) {
  Config cfg;
  cfg.service.languages = {"ru"};
  cfg.topics = {Topic{"registration", {}, "", "1", false, true}, Topic{"taxes", {}, "", "2", false, false}};
  cfg.centres = {Centre{"federal", "Федеральный", "", std::chrono::minutes(180)}};
  cfg.queues = {QueueConfig{"federal-registration", "registration", "federal", ""},
                QueueConfig{"federal-taxes", "taxes", "federal", ""},
                QueueConfig{"federal-taxes-2", "taxes", "federal", ""}};
  cfg.routing = Routing();
  cfg.routing.operators[0].skills["taxes"] = 6;
  cfg.centre.announce_every = 20s;
  cfg.centre.phones["ivanova"] = OperatorPhone{"sip:ivanova@127.0.0.1:5094", "", ""};
  cfg.centre.phones["petrov"] = OperatorPhone{"", "petrov", ""};
  const CentreOptions options = CentreOptionsOf(cfg);
  EXPECT_EQ(options.announce_every, Duration(20s));
  EXPECT_EQ(options.contacts, (std::map<std::string, std::string>{{"ivanova", "sip:ivanova@127.0.0.1:5094"}}));

  ASSERT_TRUE(ApplyRoutingConfig(*centre_, cfg).ok());
  EXPECT_EQ(centre_->Snapshot().queues.size(), 3u);
  Ready("ivanova");
  centre_->CallEnqueued(Call(1, "taxes"), clock_.Now());
  centre_->Step();
  ASSERT_EQ(phone_.rings.size(), 1u);
  EXPECT_EQ(phone_.rings[0].operator_id, "ivanova");
  EXPECT_EQ(phone_.rings[0].static_contact, "sip:ivanova@127.0.0.1:5094");

  cfg.routing.settings.no_answer = Duration(0);  // refused by the routing core's check
  EXPECT_EQ(ApplyRoutingConfig(*centre_, cfg).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace gosline::contact_centre
