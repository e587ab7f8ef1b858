// The operator routes on a real contact centre (manual clock, real SQLite):
// an operator acts only on themself, the screen pop masks the caller for
// roles that may not see phones, an operator transfers only their own call.
#include "http/operator_routes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "config/config_vocabulary.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::http {
namespace {

using namespace std::chrono_literals;
using contact_centre::ContactCentre;

class OperatorRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_oproutes_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = SqliteCaseStore::Open((dir_ / "g.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    config_.topics = {Topic{"registration", {}, "", "", false, false}, Topic{"taxes", {}, "", "", false, false}};
    vocabulary_ = std::make_unique<ConfigVocabulary>(config_);
    workflow_ = std::make_unique<CaseWorkflow>(*vocabulary_, calendar_);
    cases_ = std::make_unique<CaseService>(*store_, *workflow_, clock_);
    routing::RoutingTopology t;
    t.languages = {"ru"};
    t.topics = {{"registration", false}, {"taxes", false}};
    t.centres = {"federal"};
    t.queues = {{"federal-registration", "registration", "federal"}, {"federal-taxes", "taxes", "federal"}};
    routing::RoutingConfig rc;
    rc.operators = {{"ivanova", "Иванова", {{"registration", 9}}, {"ru"}, {}, "federal"},
                    {"petrov", "Петров", {{"taxes", 8}}, {"ru"}, {}, "federal"}};
    auto centre = ContactCentre::Create(t, rc, {}, *cases_, nullptr, clock_);
    ASSERT_TRUE(centre.ok()) << centre.status().ToString();
    centre_ = std::move(centre).value();
    ASSERT_TRUE(AddOperatorRoutes(router_, centre_.get()).ok());
  }
  void TearDown() override {
    centre_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Call(Method method, const std::string& path, const std::string& login,
                    const std::string& role, const std::string& body = "") {
    HttpRequest req;
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.principal = "user:" + login;
    req.principal_role = role;
    if (!body.empty()) {
      req.headers["content-type"] = "application/json";
      req.body = body;
    }
    return router_.Dispatch(req);
  }
  void RingIvanova() {
    ASSERT_EQ(Call(Method::kPost, "/api/v1/operators/ivanova/state", "ivanova", "operator",
                   R"({"state":"ready"})").status, 200);
    contact_centre::WaitingCall c;
    c.id = 7;
    c.caller = "+79161234567";
    c.topic = "registration";
    c.language = "ru";
    c.ivr_path = "main registration";
    centre_->CallEnqueued(c, clock_.Now());
    centre_->Step();
  }

  std::filesystem::path dir_;
  ManualClock clock_{FromUnixMillis(1'795'600'800'000)};
  Config config_;
  BusinessCalendar calendar_;
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<ConfigVocabulary> vocabulary_;
  std::unique_ptr<CaseWorkflow> workflow_;
  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<ContactCentre> centre_;
  Router router_;
};

TEST_F(OperatorRoutesTest, ScreenPopShowsThePhoneToOperatorsAndMasksItForOversight) {
  RingIvanova();
  HttpResponse r = Call(Method::kGet, "/api/v1/operators/ivanova/call", "ivanova", "operator");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["caller"], "+79161234567");
  EXPECT_EQ(j["call"], "7");
  EXPECT_EQ(j["state"], "ringing");
  EXPECT_EQ(j["ivr_path"], "main registration");
  EXPECT_FALSE(j["case_number"].get<std::string>().empty());
  r = Call(Method::kGet, "/api/v1/operators/ivanova/call", "audit", "compliance_controller");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["caller"], "+7 916 ***-**-67");  // as the case routes mask
  EXPECT_EQ(Call(Method::kGet, "/api/v1/operators/ivanova/call", "petrov", "operator").status, 403);
}

TEST_F(OperatorRoutesTest, OperatorTransfersOnlyTheirOwnCall) {
  RingIvanova();
  centre_->OperatorAnswered(7, clock_.Now());
  centre_->Step();
  const std::string body = R"({"queue":"federal-taxes"})";
  EXPECT_EQ(Call(Method::kPost, "/api/v1/calls/7/transfer", "petrov", "operator", body).status, 403);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/calls/7/transfer", "ivanova", "operator",
                 R"({"queue":"federal-taxes","operator":"petrov"})").status, 400);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/calls/7/transfer", "ivanova", "operator",
                 R"({"queue":"nowhere"})").status / 100, 4);
  HttpResponse r = Call(Method::kPost, "/api/v1/calls/7/transfer", "ivanova", "operator", body);
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(Call(Method::kPost, "/api/v1/operators/petrov/state", "boss", "supervisor",
                 R"({"state":"ready"})").status, 200);
  r = Call(Method::kGet, "/api/v1/operators/petrov/call", "petrov", "operator");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["queue"], "federal-taxes");
  EXPECT_EQ(nlohmann::json::parse(r.body)["ivr_path"], "main registration");
}

TEST_F(OperatorRoutesTest, LoggingOutDuringACallIsAConflict) {
  RingIvanova();
  HttpResponse r = Call(Method::kPost, "/api/v1/operators/ivanova/state", "ivanova", "operator",
                        R"({"state":"logged_out"})");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("\"error\""), std::string::npos);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/operators/ivanova/state", "ivanova", "operator",
                 R"({"state":"ready","extra":1})").status, 400);
}

}  // namespace
}  // namespace gosline::http
