// R13 through the contact centre on a manual clock, with the real routing
// core and real SQLite stores: a queue builds up, the rule's overflow opens
// and calls go to the overflow queue's operator, callers entering hear the
// high-load announcement and the callback offer; the queue drains and it all
// closes again. Each change reaches the listeners and the snapshot.
#include "app/contact_centre/corrective_actions.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/contact_centre/contact_centre.h"
#include "config/config.h"
#include "config/config_vocabulary.h"
#include "core/common/system_clock.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::contact_centre {
namespace {

using namespace std::chrono_literals;
using corrective::ActionKind;
using corrective::CorrectiveAction;
using corrective::CorrectiveRule;

const Time kStart = FromUnixMillis(1'795'600'800'000);  // 2026-11-25 10:00 UTC

struct Phone final : CallConnector {
  std::vector<OperatorRing> rings;
  std::vector<WaitAnnouncement> announcements;
  void RingOperator(const OperatorRing& ring) override { rings.push_back(ring); }
  void CancelRing(CallId) override {}
  void Announce(const WaitAnnouncement& a) override { announcements.push_back(a); }
  void Hangup(CallId, std::string) override {}
  void ReleaseOperator(CallId) override {}
};

routing::RoutingTopology Topology() {
  routing::RoutingTopology t;
  t.languages = {"ru"};
  t.topics = {{"taxes", false}, {"other", false}};
  t.centres = {"federal"};
  t.queues = {{"federal-taxes", "taxes", "federal"}, {"federal-other", "other", "federal"}};
  return t;
}

routing::RoutingConfig Routing() {
  routing::RoutingConfig c;
  c.settings.wrap_up = 10s;
  c.settings.no_answer = 20s;
  c.settings.default_handle_time = 60s;
  c.operators = {{"petrov", "Петров", {{"taxes", 8}}, {"ru"}, {}, "federal"},
                 {"sokolova", "Соколова", {{"other", 7}}, {"ru"}, {}, "federal"}};
  return c;
}

CorrectiveAction Act(ActionKind kind) {
  CorrectiveAction a;
  a.kind = kind;
  return a;
}

// More than 2 taxes callers waiting for 30 s: the other queue's operators
// help; ended once nobody has waited for 30 s.
CorrectiveRule TaxesBacklog() {
  CorrectiveRule r;
  r.name = "taxes-backlog";
  r.when = corrective::Trigger{corrective::Figure::kQueueLength, "federal-taxes", true, 2, 30s};
  r.recover = corrective::Recovery{0, 30s};
  CorrectiveAction overflow = Act(ActionKind::kOpenOverflow);
  overflow.from_queue = "federal-taxes";
  overflow.to_queue = "federal-other";
  CorrectiveAction announce = Act(ActionKind::kHighLoadAnnouncement);
  announce.prompt = "high_load";
  r.actions = {overflow, announce, Act(ActionKind::kOfferCallback), Act(ActionKind::kPageSupervisors)};
  return r;
}

class CorrectiveCentreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_corrective_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "gosline.db").string();
    auto store = SqliteCaseStore::Open(db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto outcomes = SqliteCallOutcomeStore::Open(db);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    outcomes_ = std::move(outcomes).value();
    cases_ = std::make_unique<CaseService>(*store_, workflow_, clock_);
    CentreOptions options;
    options.corrective = {TaxesBacklog()};
    auto centre = ContactCentre::Create(Topology(), Routing(), options, *cases_, outcomes_.get(), clock_);
    ASSERT_TRUE(centre.ok()) << centre.status().ToString();
    centre_ = std::move(centre).value();
    centre_->SetConnector(&phone_);
    centre_->OnCorrectiveAction([this](const corrective::Transition& t) { heard_.push_back(t); });
  }
  void TearDown() override {
    centre_.reset();
    cases_.reset();
    outcomes_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Config CaseConfig() {
    Config cfg;
    cfg.topics = {Topic{"taxes", {{"ru", "Налоги"}}, "", "2", false, false},
                  Topic{"other", {{"ru", "Другое"}}, "", "3", false, false}};
    return cfg;
  }
  void Enqueue(CallId id) {
    WaitingCall c;
    c.id = id;
    c.sip_call_id = "sip-" + std::to_string(id);
    c.caller = "+7916123456" + std::to_string(id % 10);
    c.dialled = "115";
    c.language = "ru";
    c.topic = "taxes";
    c.started_at = clock_.Now();
    centre_->CallEnqueued(c, clock_.Now());
    centre_->Step();
  }
  // Steps the centre every 5 s for `d`.
  void Run(Duration d) {
    for (Duration passed{0}; passed < d; passed += 5s) {
      clock_.Advance(5s);
      centre_->Step();
    }
  }
  void SetState(const std::string& op, const std::string& state) {
    ASSERT_TRUE(centre_->SetOperatorState(op, state, state == "not_ready" ? "break" : "").ok());
  }
  bool Rung(const std::string& op, CallId call) const {
    return std::any_of(phone_.rings.begin(), phone_.rings.end(), [&](const OperatorRing& r) {
      return r.operator_id == op && r.call == call;
    });
  }
  std::vector<std::string> EntryPromptsOf(CallId call) const {
    for (const WaitAnnouncement& a : phone_.announcements) {
      if (a.call == call) return a.prompts;  // the first one: on entry
    }
    return {};
  }
  CorrectiveView View() const {
    const CentreSnapshot s = centre_->Snapshot();
    EXPECT_EQ(s.corrective.size(), 1u);
    return s.corrective.empty() ? CorrectiveView{} : s.corrective[0];
  }

  std::filesystem::path dir_;
  ManualClock clock_{kStart};
  Config config_ = CaseConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_{WeeklyHours{}, std::chrono::minutes(180), {}, {}, {}};
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<SqliteCallOutcomeStore> outcomes_;
  std::unique_ptr<CaseService> cases_;
  Phone phone_;
  std::unique_ptr<ContactCentre> centre_;
  std::vector<corrective::Transition> heard_;
};

TEST_F(CorrectiveCentreTest, R13_BacklogOpensTheOverflowAndADrainedQueueClosesIt) {
  SetState("petrov", "not_ready");  // logged in, on a break: taxes callers wait
  SetState("sokolova", "ready");    // free, but only for "other"
  Enqueue(1);
  Enqueue(2);
  Enqueue(3);
  EXPECT_TRUE(EntryPromptsOf(1).empty());  // the line is not overloaded yet
  Run(25s);
  EXPECT_TRUE(heard_.empty());  // above the threshold, not yet for the hold
  EXPECT_FALSE(View().active);
  EXPECT_FALSE(Rung("sokolova", 1));

  Run(10s);
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_TRUE(heard_[0].activate);
  EXPECT_EQ(heard_[0].rule, "taxes-backlog");
  EXPECT_EQ(heard_[0].reason.queue, "federal-taxes");
  EXPECT_EQ(heard_[0].reason.value, 3);
  EXPECT_EQ(heard_[0].reason.threshold, 2);
  // Judged every second: the first look after the third caller was at 5 s.
  EXPECT_EQ(heard_[0].reason.since, kStart + 5s);
  EXPECT_EQ(heard_[0].at, kStart + 35s);
  CorrectiveView v = View();
  EXPECT_TRUE(v.active);
  EXPECT_EQ(v.since, kStart + 5s);
  EXPECT_EQ(v.activations, 1u);
  // The overflow is open: the other queue's operator is offered the first taxes caller.
  EXPECT_TRUE(Rung("sokolova", 1));
  centre_->OperatorAnswered(1, clock_.Now());
  centre_->Step();

  // A caller entering now hears the high-load announcement and the callback offer.
  Enqueue(4);
  EXPECT_EQ(EntryPromptsOf(4), (std::vector<std::string>{"high_load", kCallbackOfferPrompt}));

  // The queue drains: two callers give up, petrov comes back for the last.
  centre_->CallerHungUp(2, clock_.Now());
  centre_->CallerHungUp(3, clock_.Now());
  centre_->Step();
  SetState("petrov", "ready");
  centre_->Step();
  EXPECT_TRUE(Rung("petrov", 4));
  centre_->OperatorAnswered(4, clock_.Now());
  centre_->Step();
  Run(25s);
  EXPECT_EQ(heard_.size(), 1u);  // recovered, not yet for the recovery hold
  Run(10s);
  ASSERT_EQ(heard_.size(), 2u);
  EXPECT_FALSE(heard_[1].activate);
  EXPECT_EQ(heard_[1].cause, "recovered");
  EXPECT_EQ(heard_[1].reason.value, 0);
  EXPECT_FALSE(View().active);

  // Closed: a taxes caller no longer reaches sokolova (free again once her
  // call ends), and hears no high-load announcement.
  centre_->CallerHungUp(1, clock_.Now());
  Run(15s);  // her wrap-up (10 s) ends
  Enqueue(5);
  Run(5s);
  EXPECT_FALSE(Rung("sokolova", 5));
  EXPECT_TRUE(EntryPromptsOf(5).empty());
}

TEST_F(CorrectiveCentreTest, R13_AReconfigurationWithoutTheRuleEndsItsActionsAndSaysSo) {
  SetState("petrov", "not_ready");
  Enqueue(1);
  Enqueue(2);
  Enqueue(3);
  Run(35s);
  ASSERT_EQ(heard_.size(), 1u);
  CentreOptions without;
  ASSERT_TRUE(centre_->Reconfigure(Topology(), Routing(), without).ok());
  ASSERT_EQ(heard_.size(), 2u);
  EXPECT_FALSE(heard_[1].activate);
  EXPECT_EQ(heard_[1].cause, "rule removed");
  EXPECT_TRUE(centre_->Snapshot().corrective.empty());
  // The overflow went with it: sokolova, now free, is not offered taxes callers.
  SetState("sokolova", "ready");
  Run(5s);
  EXPECT_FALSE(Rung("sokolova", 1));
}

TEST_F(CorrectiveCentreTest, R13_AnInvalidRuleIsRefusedAndNothingChanges) {
  CentreOptions bad;
  CorrectiveRule r = TaxesBacklog();
  r.recover.threshold = 5;  // on the alarming side: it would never end
  bad.corrective = {r};
  EXPECT_FALSE(centre_->Reconfigure(Topology(), Routing(), bad).ok());
  EXPECT_EQ(centre_->Snapshot().corrective.size(), 1u);
  EXPECT_FALSE(ContactCentre::Create(Topology(), Routing(), bad, *cases_, outcomes_.get(), clock_).ok());
}

}  // namespace
}  // namespace gosline::contact_centre
