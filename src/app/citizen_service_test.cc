// The citizens' channel (R14, R16, R24, R26) and its webhook events (R27)
// on real SQLite stores and a manual clock.
#include "app/citizen_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/webhook_events.h"
#include "config/config_vocabulary.h"
#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_citizen_channel_store.h"
#include "storage/sqlite/sqlite_webhook_store.h"

namespace gosline {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const Time kNow = *ParseIso8601("2026-12-07T10:00:00Z");
const Citizen kAnna{"portal-anna", "+79161112233"};
const Citizen kBoris{"portal-boris", "+79164445566"};

Config TestConfig() {
  Config cfg;
  cfg.topics = {Topic{"pensions", {{"ru", "Пенсии"}}, "sfr", "1", false, true},
                Topic{"taxes", {{"ru", "Налоги"}}, "fns", "2", false, false},
                Topic{"data_request", {}, "", "", false, false}};
  cfg.agencies = {Agency{"sfr", "СФР"}, Agency{"fns", "ФНС"}};
  return cfg;
}

BusinessCalendar Always() { return BusinessCalendar(WeeklyHours::AllDay(), std::chrono::minutes(0), {}, {}, {}); }

class CitizenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-citizen-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const std::string db = (dir_ / "gosline.db").string();
    cases_store_ = std::move(SqliteCaseStore::Open(db)).value();
    consents_ = std::move(SqliteConsentStore::Open(db)).value();
    erasure_ = std::move(SqliteRetentionStore::Open(db)).value();
    channel_ = std::move(SqliteCitizenChannelStore::Open(db)).value();
    webhooks_ = std::move(SqliteWebhookStore::Open(db)).value();
    cases_ = std::make_unique<CaseService>(*cases_store_, workflow_, clock_);
    rights_ = std::make_unique<DataRightsService>(
        *cases_store_, *consents_, *erasure_, nullptr, Always(), clock_,
        [](const std::string&, const std::string&, const std::string&, const std::string&) {});
    events_ = std::make_unique<WebhookEvents>(*webhooks_, clock_, [this] { ++wakes_; });
    cases_->SetChangeObserver([this](std::optional<CaseStatus> before, const Case& after) {
      events_->OnCaseChanged(before, after);
    });
    service_ = std::make_unique<CitizenService>(*cases_, *channel_, rights_.get(), clock_);
  }
  void TearDown() override {
    service_.reset();
    cases_.reset();
    fs::remove_all(dir_);
  }

  Case Callback(const Citizen& who, const std::string& topic = "pensions") {
    CallbackRequest r;
    r.topic = topic;
    r.window_from = kNow + std::chrono::hours(1);
    r.window_to = kNow + std::chrono::hours(3);
    Result<Case> c = service_->RequestCallback(who, r);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : Case{};
  }

  std::vector<WebhookDelivery> Pending() {
    auto d = webhooks_->Due(kNow + std::chrono::hours(100), 100);
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : std::vector<WebhookDelivery>{};
  }

  fs::path dir_;
  ManualClock clock_{kNow};
  Config config_ = TestConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_ = Always();
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  std::unique_ptr<CaseStore> cases_store_;
  std::unique_ptr<ConsentStore> consents_;
  std::unique_ptr<SqliteRetentionStore> erasure_;
  std::unique_ptr<CitizenChannelStore> channel_;
  std::unique_ptr<WebhookStore> webhooks_;
  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<DataRightsService> rights_;
  std::unique_ptr<WebhookEvents> events_;
  std::unique_ptr<CitizenService> service_;
  int wakes_ = 0;
};

TEST_F(CitizenServiceTest, R26CallbackIsACaseOfTheCitizensAccount) {
  const Case c = Callback(kAnna);
  EXPECT_EQ(c.channel, Channel::kCallback);
  EXPECT_EQ(c.phone, kAnna.phone_number);
  EXPECT_EQ(c.portal_account_id, kAnna.subject);
  EXPECT_EQ(c.status, CaseStatus::kNew);
  EXPECT_NE(c.summary.find("2026-12-07T11:00:00.000Z - 2026-12-07T13:00:00.000Z"), std::string::npos) << c.summary;
  Result<std::vector<Case>> own = service_->OwnCases(kAnna);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].number, c.number);
}

TEST_F(CitizenServiceTest, R26AnotherCitizensCaseIsNeverShown) {
  const Case annas = Callback(kAnna);
  EXPECT_EQ(service_->OwnCase(kBoris, annas.number).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(service_->OwnCase(kBoris, "000000000").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(service_->OwnCases(kBoris)->empty());
  EXPECT_TRUE(service_->OwnCase(kAnna, annas.number).ok());
  // Nor a case staff filed under Boris's phone without his account.
  CaseDraft staff;
  staff.phone = kBoris.phone_number;
  staff.topic = "taxes";
  ASSERT_TRUE(cases_->Open(staff, Actor{"op1"}).ok());
  EXPECT_TRUE(service_->OwnCases(kBoris)->empty());
  // A code for Anna's case cannot be made by Boris.
  EXPECT_EQ(service_->CreateCallContext(kBoris, "", annas.number).status().code(),
            Status::Code::kNotFound);
}

TEST_F(CitizenServiceTest, R14CasesStaffFiledWithTheAccountAreListed) {
  CaseDraft staff;
  staff.phone = kAnna.phone_number;
  staff.portal_account_id = kAnna.subject;
  staff.topic = "taxes";
  Result<Case> filed = cases_->Open(staff, Actor{"op1"});
  ASSERT_TRUE(filed.ok());
  Result<std::vector<Case>> own = service_->OwnCases(kAnna);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].number, filed->number);
}

TEST_F(CitizenServiceTest, R26BadCallbackWindowIsRefused) {
  CallbackRequest r;
  r.topic = "pensions";
  r.window_from = kNow + std::chrono::hours(2);
  r.window_to = kNow + std::chrono::hours(1);
  EXPECT_EQ(service_->RequestCallback(kAnna, r).status().code(), Status::Code::kInvalidArgument);
  r.window_from.reset();
  r.window_to = kNow - std::chrono::hours(1);
  EXPECT_EQ(service_->RequestCallback(kAnna, r).status().code(), Status::Code::kInvalidArgument);
  r.window_to.reset();
  r.topic = "no-such-topic";
  EXPECT_EQ(service_->RequestCallback(kAnna, r).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(CitizenServiceTest, R24ConsentAndDataRequestsNeedTheVerifiedPhone) {
  const Citizen unverified{"portal-x", ""};
  EXPECT_EQ(service_->RecordConsent(unverified, "sms", true).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(service_->OpenDataRequest(unverified, DataRequestKind::kExport, "").status().code(),
            Status::Code::kPermissionDenied);
  Result<Consent> consent = service_->RecordConsent(kAnna, "sms", true);
  ASSERT_TRUE(consent.ok()) << consent.status().ToString();
  EXPECT_EQ(consent->phone, kAnna.phone_number);
  EXPECT_EQ(consent->source, "portal");
  Result<Case> request = service_->OpenDataRequest(kAnna, DataRequestKind::kDeletion, "all of it");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->topic, "data_request");
  EXPECT_EQ(request->portal_account_id, kAnna.subject);
  EXPECT_TRUE(request->due_at.has_value());
  EXPECT_TRUE(service_->OwnCase(kAnna, request->number).ok());
}

TEST_F(CitizenServiceTest, R26CallContextCodeIsSingleUseAndLastsTenMinutes) {
  const Case c = Callback(kAnna, "taxes");
  Result<CallContext> made = service_->CreateCallContext(kAnna, "", c.number);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->code.size(), 6u);
  EXPECT_EQ(made->topic, "taxes");
  EXPECT_EQ(made->expires_at, kNow + std::chrono::minutes(10));
  Result<std::optional<CallContext>> taken = service_->TakeCallContext(made->code);
  ASSERT_TRUE(taken.ok());
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->case_number, c.number);
  EXPECT_FALSE(service_->TakeCallContext(made->code)->has_value());  // used up

  Result<CallContext> late = service_->CreateCallContext(kAnna, "pensions", "");
  ASSERT_TRUE(late.ok());
  clock_.Advance(std::chrono::minutes(10));
  EXPECT_FALSE(service_->TakeCallContext(late->code)->has_value());  // expired
  EXPECT_FALSE(service_->TakeCallContext("12ab56")->has_value());
}

TEST_F(CitizenServiceTest, R27EventsGoToTheOutboxCutToEachSubscriptionsScope) {
  WebhookSubscription plain{0, "http://127.0.0.1:9/a", {"case.created", "callback.scheduled"}, "whsec_x", false, "", kNow};
  WebhookSubscription phones{0, "http://127.0.0.1:9/b", {"case.status_changed", "callback.scheduled"}, "whsec_y", true, "", kNow};
  ASSERT_TRUE(webhooks_->AddSubscription(plain).ok());
  ASSERT_TRUE(webhooks_->AddSubscription(phones).ok());
  const Case c = Callback(kAnna);
  ASSERT_TRUE(cases_->Transition(c.number, CaseStatus::kInProgress, "calling back", Actor{"op1"}).ok());
  std::vector<WebhookDelivery> due = Pending();
  ASSERT_EQ(due.size(), 4u);
  std::map<std::string, json> by_sub_event;
  for (const WebhookDelivery& d : due) {
    json body = json::parse(d.payload);
    EXPECT_EQ(body["type"], d.event);
    EXPECT_EQ(body["data"]["number"], c.number);
    by_sub_event[std::to_string(d.subscription_id) + " " + d.event] = body;
  }
  EXPECT_FALSE(by_sub_event.at("1 case.created")["data"].contains("phone"));
  EXPECT_FALSE(by_sub_event.at("1 callback.scheduled")["data"].contains("phone"));
  EXPECT_EQ(by_sub_event.at("2 callback.scheduled")["data"]["phone"], kAnna.phone_number);
  EXPECT_EQ(by_sub_event.at("2 case.status_changed")["data"]["status"], "in_progress");
  EXPECT_EQ(by_sub_event.at("2 case.status_changed")["data"]["previous_status"], "new");
  EXPECT_GE(wakes_, 3);
  // A note changes no status: no event.
  ASSERT_TRUE(cases_->AddNote(c.number, "no answer", Actor{"op1"}).ok());
  EXPECT_EQ(Pending().size(), 4u);
}

}  // namespace
}  // namespace gosline
