// R20: the whole role x route matrix. Every route of the real API table is
// called by every kind of caller, and the outcome (allowed, 401, 403) is
// checked against the table below. A new route without a row here fails the
// test, so no route can be added without deciding who may call it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "config/config_vocabulary.h"
#include "http/api_routes.h"
#include "http/audit_hook.h"
#include "http/case_routes.h"
#include "http/openapi.h"
#include "http/live_hub.h"
#include "http/knowledge_routes.h"
#include "http/admin_config_routes.h"
#include "http/public_status_routes.h"
#include "http/report_routes.h"
#include "http/interval_report_routes.h"
#include "http/session_authorizer.h"
#include "http/user_routes.h"
#include "security/session_token.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_report_rollup_store.h"

namespace gosline::http {
namespace {

namespace fs = std::filesystem;
using security::StaffAuth;

// The callers, one column each.
enum Caller {
  kNone, kOperator, kSupervisor, kAdministrator, kSecurityAdmin, kCompliance,
  kKeyRead, kKeyReadWrite, kKeyRevoked, kExpiredSession, kForgedToken, kCallerCount
};
const char* const kCallerNames[] = {"none", "operator", "supervisor", "administrator",
                                    "security_administrator", "compliance_controller",
                                    "key(cases:read)", "key(cases:read+write)", "revoked key",
                                    "expired session", "forged token"};

// A = allowed (any status but 401/403), U = 401, F = 403.
//                                  none op  sup adm sec cmp kR  kRW rev exp forged
const std::map<std::string, std::string> kMatrix = {
    {"getHealth",                   "A   A   A   A   A   A   A   A   A   A   A"},
    {"getReadiness",                "A   A   A   A   A   A   A   A   A   A   A"},
    {"getOpenApi",                  "A   A   A   A   A   A   A   A   A   A   A"},
    {"login",                       "A   A   A   A   A   A   A   A   A   A   A"},
    {"logout",                      "U   A   A   A   A   A   A   A   U   U   U"},
    {"getMe",                       "U   A   A   A   A   A   A   A   U   U   U"},
    {"enrolTotp",                   "U   A   A   A   A   A   F   F   U   U   U"},
    {"confirmTotp",                 "U   A   A   A   A   A   F   F   U   U   U"},
    {"changePassword",              "U   A   A   A   A   A   F   F   U   U   U"},
    {"createCase",                  "U   A   A   F   F   F   F   A   U   U   U"},
    {"searchCases",                 "U   A   A   F   F   A   A   A   U   U   U"},
    {"getCase",                     "U   A   A   F   F   A   A   A   U   U   U"},
    {"getCaseRecording",            "U   A   A   F   F   A   A   A   U   U   U"},
    {"updateCase",                  "U   A   A   F   F   F   F   A   U   U   U"},
    {"transitionCase",              "U   A   A   F   F   F   F   A   U   U   U"},
    {"addCaseNote",                 "U   A   A   F   F   F   F   A   U   U   U"},
    {"addCaseLink",                 "U   A   A   F   F   F   F   A   U   U   U"},
    {"getCaseHistory",              "U   A   A   F   F   A   A   A   U   U   U"},
    // Live feed (426 without an upgrade), public status, reports (R3, R18).
    {"getLiveFeed",                 "U   A   A   F   F   A   F   F   U   U   U"},
    {"getPublicStatus",             "A   A   A   A   A   A   A   A   A   A   A"},
    {"getReportSummary",            "U   F   A   F   F   F   F   F   U   U   U"},
    {"getIntervalReport",           "U   F   A   F   F   A   F   F   U   U   U"},
    // Contact centre: no API key scope opens these.
    {"listOperators",               "U   F   A   F   F   F   F   F   U   U   U"},
    {"getOperator",                 "U   A   A   F   F   A   F   F   U   U   U"},
    {"setOperatorState",            "U   A   A   F   F   F   F   F   U   U   U"},
    {"getOperatorCall",             "U   A   A   F   F   A   F   F   U   U   U"},
    {"transferCall",                "U   A   A   F   F   F   F   F   U   U   U"},
    {"listQueues",                  "U   F   A   F   F   F   F   F   U   U   U"},
    // Citizens' data rights (R24): compliance controllers run exports and deletions.
    {"recordConsent",               "U   A   A   F   F   F   F   F   U   U   U"},
    {"listConsents",                "U   A   A   F   F   A   F   F   U   U   U"},
    {"openDataRequest",             "U   A   A   F   F   F   F   F   U   U   U"},
    {"exportCitizenData",           "U   F   F   F   F   A   F   F   U   U   U"},
    {"deleteCitizenData",           "U   F   F   F   F   A   F   F   U   U   U"},
    // Knowledge base: operators and supervisors; compliance reads; no API key scope (503 here).
    {"searchKnowledge",             "U   A   A   F   F   A   F   F   U   U   U"},
    {"getKnowledgeArticle",         "U   A   A   F   F   A   F   F   U   U   U"},
    // Staff accounts: security administrators only, no API key scope.
    {"listUsers",                   "U   F   F   F   A   F   F   F   U   U   U"},
    {"getUser",                     "U   F   F   F   A   F   F   F   U   U   U"},
    {"createUser",                  "U   F   F   F   A   F   F   F   U   U   U"},
    {"updateUser",                  "U   F   F   F   A   F   F   F   U   U   U"},
    {"resetUserTotp",               "U   F   F   F   A   F   F   F   U   U   U"},
    {"resetUserPassword",           "U   F   F   F   A   F   F   F   U   U   U"},
    {"unlockUser",                  "U   F   F   F   A   F   F   F   U   U   U"},
    // Configuration editor: administrators only, no API key scope (503 here: no editor).
    {"listConfigAreas",             "U   F   F   A   F   F   F   F   U   U   U"},
    {"getConfigArea",               "U   F   F   A   F   F   F   F   U   U   U"},
    {"checkConfigArea",             "U   F   F   A   F   F   F   F   U   U   U"},
    {"putConfigArea",               "U   F   F   A   F   F   F   F   U   U   U"},
};

char Expected(const std::string& operation, Caller caller) {
  std::string cells;
  for (char c : kMatrix.at(operation)) {
    if (c != ' ') cells += c;
  }
  return cells.at(static_cast<size_t>(caller));
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-matrix-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const std::string db = (dir_ / "cases.db").string();
    auto store = SqliteCaseStore::Open(db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto staff = security::SqliteStaffStore::Open(db);
    ASSERT_TRUE(staff.ok()) << staff.status().ToString();
    staff_ = std::move(staff).value();
    auto audit = security::AuditLog::Open(db + ".audit");
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(audit).value();
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'b'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher = security::FieldCipher::Create(
        std::make_shared<const security::KeyRing>(std::move(ring).value()));
    ASSERT_TRUE(cipher.ok());
    auth_cipher_ = std::make_shared<const security::FieldCipher>(std::move(cipher).value());
    auth_ = std::make_unique<StaffAuth>(*staff_, hasher_, auth_cipher_, audit_.get(), clock_);

    config_.topics = {Topic{"other", {}, "", "", false, false}};
    vocabulary_ = std::make_unique<ConfigVocabulary>(config_);
    workflow_ = std::make_unique<CaseWorkflow>(*vocabulary_, calendar_);
    service_ = std::make_unique<CaseService>(*store_, *workflow_, clock_);
    router_ = std::make_unique<Router>(std::make_shared<SessionAuthorizer>(*auth_));
    ASSERT_TRUE(AddApiRoutes(*router_, *service_, *store_, "9.9.9", auth_.get()).ok());
    // Live feed, public status, reports: registered beside the API in serve.
    static const EstimatedWaitSource kNoWaits;
    ASSERT_TRUE(AddLiveRoute(*router_).ok());
    ASSERT_TRUE(AddPublicStatusRoutes(*router_, config_, clock_, kNoWaits).ok());
    ASSERT_TRUE(AddReportRoutes(*router_, [](Time, Time) {
                  return Result<std::vector<stats::ReportCall>>(std::vector<stats::ReportCall>{});
                }).ok());
    auto rollups = SqliteReportRollupStore::Open(db, {});
    ASSERT_TRUE(rollups.ok()) << rollups.status().ToString();
    rollups_ = std::move(rollups).value();
    ASSERT_TRUE(AddIntervalReportRoutes(*router_, {.store = rollups_.get()}).ok());
    staff_admin_ = std::make_unique<StaffAdmin>(*staff_, hasher_, auth_cipher_, audit_.get(), clock_);
    ASSERT_TRUE(AddUserRoutes(*router_, *staff_admin_).ok());
    ASSERT_TRUE(AddAdminConfigRoutes(*router_, nullptr).ok());
    ASSERT_TRUE(AddKnowledgeRoutes(*router_, nullptr, {}).ok());  // knowledge base
    router_->SetAuditHook(MakeAuditHook(*audit_, clock_));

    CaseDraft draft;
    draft.phone = "+79161234567";
    draft.topic = "other";
    // Opened by the operator: the case they handle (R20 visibility).
    auto c = service_->Open(draft, Actor{"user:u-operator"});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    case_number_ = c->number;

    for (const char* role : {"operator", "supervisor", "administrator", "security_administrator",
                             "compliance_controller"}) {
      auto added = auth_->AddUser(std::string("u-") + role, "", role, "a long enough password",
                                  "system:test");
      ASSERT_TRUE(added.ok()) << added.status().ToString();
    }
    auto read = security::ScopeSet::Parse("cases:read");
    auto write = security::ScopeSet::Parse("cases:read cases:write");
    key_read_ = auth_->CreateApiKey("r", *read, "t")->key;
    key_write_ = auth_->CreateApiKey("rw", *write, "t")->key;
    auto revoked = auth_->CreateApiKey("old", *write, "t");
    key_revoked_ = revoked->key;
    ASSERT_TRUE(auth_->RevokeApiKey(revoked->id, "t").ok());
  }
  void TearDown() override {
    router_.reset();
    staff_admin_.reset();
    auth_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A fresh session for `login` (each cell gets its own: logout ends one).
  std::string SessionFor(const std::string& login, Time created) {
    auto user = staff_->FindUser(login);
    EXPECT_TRUE(user.ok());
    security::IssuedToken t = security::NewSessionToken();
    EXPECT_TRUE(staff_->AddSession({t.hash, user->id, created, created}).ok());
    return t.token;
  }

  std::string AuthorizationFor(Caller caller) {
    switch (caller) {
      case kNone: return "";
      case kOperator: return "Bearer " + SessionFor("u-operator", clock_.Now());
      case kSupervisor: return "Bearer " + SessionFor("u-supervisor", clock_.Now());
      case kAdministrator: return "Bearer " + SessionFor("u-administrator", clock_.Now());
      case kSecurityAdmin: return "Bearer " + SessionFor("u-security_administrator", clock_.Now());
      case kCompliance: return "Bearer " + SessionFor("u-compliance_controller", clock_.Now());
      case kKeyRead: return "Bearer " + key_read_;
      case kKeyReadWrite: return "Bearer " + key_write_;
      case kKeyRevoked: return "Bearer " + key_revoked_;
      case kExpiredSession:
        return "Bearer " + SessionFor("u-operator", clock_.Now() - std::chrono::minutes(31));
      case kForgedToken: return "Bearer " + security::NewSessionToken().token;
      case kCallerCount: break;
    }
    return "";
  }

  std::string Concrete(const std::string& pattern) const {
    std::string out = pattern;
    const size_t at = out.find("{number}");
    if (at != std::string::npos) out.replace(at, 8, case_number_);
    return out;
  }

  HttpResponse Call(const Route& route, Caller caller) {
    HttpRequest req;
    req.method = route.method;
    req.method_name = std::string(ToString(route.method));
    req.path = Concrete(route.pattern);
    req.remote_address = "127.0.0.9";
    req.request_id = "matrix";
    if (route.method != Method::kGet) {
      req.headers["content-type"] = "application/json";
      req.body = "{}";
    }
    const std::string authorization = AuthorizationFor(caller);
    if (!authorization.empty()) req.headers["authorization"] = authorization;
    return router_->Dispatch(req);
  }

  fs::path dir_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<SqliteReportRollupStore> rollups_;
  std::unique_ptr<security::StaffStore> staff_;
  std::unique_ptr<security::AuditLog> audit_;
  std::shared_ptr<const security::FieldCipher> auth_cipher_;
  std::unique_ptr<StaffAuth> auth_;
  std::unique_ptr<StaffAdmin> staff_admin_;
  Config config_;
  BusinessCalendar calendar_;
  std::unique_ptr<ConfigVocabulary> vocabulary_;
  std::unique_ptr<CaseWorkflow> workflow_;
  std::unique_ptr<CaseService> service_;
  std::unique_ptr<Router> router_;
  std::string case_number_;
  std::string key_read_, key_write_, key_revoked_;
};

TEST_F(AccessMatrixTest, EveryRouteByEveryCallerMatchesTheTable) {
  std::set<std::string> seen;
  int cells = 0;
  for (const Route& route : router_->routes()) {
    const std::string& op = route.doc.operation_id;
    ASSERT_TRUE(kMatrix.count(op)) << "route " << op << " has no row in kMatrix: decide who may call it";
    seen.insert(op);
    for (int c = 0; c < kCallerCount; ++c) {
      const Caller caller = static_cast<Caller>(c);
      const HttpResponse r = Call(route, caller);
      const char want = Expected(op, caller);
      const char got = r.status == 401 ? 'U' : r.status == 403 ? 'F' : 'A';
      EXPECT_EQ(got, want) << op << " by " << kCallerNames[c] << ": status " << r.status << " "
                           << r.body;
      ++cells;
    }
  }
  EXPECT_EQ(seen.size(), kMatrix.size()) << "kMatrix has rows for routes that no longer exist";
  EXPECT_EQ(cells, static_cast<int>(kMatrix.size()) * kCallerCount);
}

TEST_F(AccessMatrixTest, RefusalsAreJsonWithAChallenge) {
  const Route* get_case = nullptr;
  for (const Route& r : router_->routes()) {
    if (r.doc.operation_id == "getCase") get_case = &r;
  }
  ASSERT_NE(get_case, nullptr);
  HttpResponse none = Call(*get_case, kNone);
  EXPECT_EQ(none.status, 401);
  EXPECT_NE(none.body.find("\"error\""), std::string::npos);
  bool challenge = false;
  for (const auto& [name, value] : none.headers) challenge |= name == "WWW-Authenticate";
  EXPECT_TRUE(challenge);
  HttpResponse admin = Call(*get_case, kAdministrator);
  EXPECT_EQ(admin.status, 403);
  EXPECT_NE(admin.body.find("administrator"), std::string::npos);
}

TEST_F(AccessMatrixTest, CaseReadsChangesAndRefusalsAreAudited) {
  const Route* get_case = nullptr;
  const Route* add_note = nullptr;
  for (const Route& r : router_->routes()) {
    if (r.doc.operation_id == "getCase") get_case = &r;
    if (r.doc.operation_id == "addCaseNote") add_note = &r;
  }
  ASSERT_NE(get_case, nullptr);
  ASSERT_NE(add_note, nullptr);
  const int64_t before = audit_->Head()->seq;
  EXPECT_EQ(Call(*get_case, kOperator).status, 200);
  EXPECT_EQ(Call(*get_case, kAdministrator).status, 403);
  EXPECT_EQ(Call(*add_note, kOperator).status, 400);  // {} has no text: still an attempt
  EXPECT_EQ(Call(*get_case, kNone).status, 401);
  auto records = audit_->Read(before + 1, 10);
  ASSERT_TRUE(records.ok());
  // Refusals are counted, not written one by one: nothing yet for them.
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].action, "case.read");
  EXPECT_EQ((*records)[0].actor, "user:u-operator");
  EXPECT_EQ((*records)[0].object, "case:" + case_number_);
  EXPECT_EQ((*records)[1].action, "case.change");
  // The minute over, the next request writes one record for the address's
  // refusals, with their count and the first of them.
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(Call(*get_case, kOperator).status, 200);
  records = audit_->Read(before + 3, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].action, "access.denied");
  EXPECT_EQ((*records)[0].actor, "user:u-administrator");
  EXPECT_EQ((*records)[0].object, "case:" + case_number_);
  EXPECT_NE((*records)[0].detail.find("2 refused requests from address"), std::string::npos)
      << (*records)[0].detail;
  EXPECT_EQ((*records)[1].action, "case.read");
  // The actor of a change is the signed-in user, not a header the client sends.
  HttpRequest req;
  req.method = Method::kPost;
  req.path = "/api/v1/cases/" + case_number_ + "/notes";
  req.headers["content-type"] = "application/json";
  req.headers["x-gosline-actor"] = "someone-else";
  req.headers["authorization"] = AuthorizationFor(kOperator);
  req.body = R"({"text":"called back"})";
  HttpResponse r = router_->Dispatch(req);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("user:u-operator"), std::string::npos);
  EXPECT_EQ(r.body.find("someone-else"), std::string::npos);
}

TEST_F(AccessMatrixTest, ComplianceControllersSeePhonesMasked) {
  const Route* get_case = nullptr;
  const Route* search = nullptr;
  for (const Route& r : router_->routes()) {
    if (r.doc.operation_id == "getCase") get_case = &r;
    if (r.doc.operation_id == "searchCases") search = &r;
  }
  ASSERT_NE(get_case, nullptr);
  ASSERT_NE(search, nullptr);
  EXPECT_NE(Call(*get_case, kOperator).body.find("\"+79161234567\""), std::string::npos);
  for (const Route* r : {get_case, search}) {
    const HttpResponse masked = Call(*r, kCompliance);
    ASSERT_EQ(masked.status, 200) << masked.body;
    EXPECT_EQ(masked.body.find("+79161234567"), std::string::npos) << masked.body;
    EXPECT_NE(masked.body.find("\"+7 916 ***-**-67\""), std::string::npos) << masked.body;
  }
}

// R20: an operator sees the cases they handle and those of their queues'
// topics, the latter with the phone masked; other roles are unaffected.
TEST_F(AccessMatrixTest, OperatorsSeeTheirCasesAndTheirQueuesOnly) {
  ASSERT_TRUE(auth_->AddUser("u-other", "", "operator", "a long enough password", "system:test").ok());
  HttpRequest req;
  auto call = [&](const Router& router, Method method, const std::string& path,
                  const std::string& login, const std::string& body = "") {
    req = HttpRequest{};
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.remote_address = "127.0.0.9";
    if (!body.empty()) {
      req.headers["content-type"] = "application/json";
      req.body = body;
    }
    req.headers["authorization"] = "Bearer " + SessionFor(login, clock_.Now());
    return router.Dispatch(req);
  };
  const std::string one = "/api/v1/cases/" + case_number_;
  // Without queues: another operator's case does not exist for u-other.
  HttpResponse r = call(*router_, Method::kGet, one, "u-other");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.body.find("+7"), std::string::npos) << r.body;
  r = call(*router_, Method::kGet, "/api/v1/cases", "u-other");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["items"].size(), 0u) << r.body;
  EXPECT_EQ(call(*router_, Method::kPost, one + "/notes", "u-other", R"({"text":"x"})").status, 404);
  EXPECT_EQ(call(*router_, Method::kGet, one + "/history", "u-other").status, 404);
  // The operator who handles it sees it, with the full phone; so does a supervisor.
  r = call(*router_, Method::kGet, one, "u-operator");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"+79161234567\""), std::string::npos) << r.body;
  r = call(*router_, Method::kGet, "/api/v1/cases", "u-supervisor");
  EXPECT_NE(r.body.find("\"+79161234567\""), std::string::npos) << r.body;

  // With queues: u-other serves topic "other", so the case is theirs to see,
  // masked until they handle it.
  Router queues(std::make_shared<SessionAuthorizer>(*auth_));
  ASSERT_TRUE(AddCaseRoutes(queues, *service_,
                            std::make_shared<CaseVisibility>(CaseVisibility::OperatorTopics{
                                {"u-other", {"other"}}, {"u-operator", {"certificates"}}}))
                  .ok());
  r = call(queues, Method::kGet, one, "u-other");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"+7 916 ***-**-67\""), std::string::npos) << r.body;
  r = call(queues, Method::kGet, "/api/v1/cases", "u-other");
  EXPECT_NE(r.body.find("\"+7 916 ***-**-67\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("+79161234567"), std::string::npos) << r.body;
  // Writing on it (a note) does not make it theirs: the number stays masked.
  r = call(queues, Method::kPost, one + "/notes", "u-other", R"({"text":"перезвонил"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("+79161234567"), std::string::npos) << r.body;
  r = call(queues, Method::kGet, one, "u-other");
  EXPECT_EQ(r.body.find("+79161234567"), std::string::npos) << r.body;
  // Being assigned its call does: full phone from then on.
  ASSERT_TRUE(service_->RecordAssigned(case_number_, Actor{"user:u-other"}, "call-1").ok());
  r = call(queues, Method::kGet, one, "u-other");
  EXPECT_NE(r.body.find("\"+79161234567\""), std::string::npos) << r.body;
}

// R20: search pages and their cursors cover only the cases the operator may
// see; walking the cursor never reaches, counts or points at another case.
TEST_F(AccessMatrixTest, OperatorSearchPagesAndCursorsCoverOnlyVisibleCases) {
  ASSERT_TRUE(auth_->AddUser("u-other", "", "operator", "a long enough password", "system:test").ok());
  Config config = config_;
  config.topics.push_back(Topic{"pension", {}, "", "", false, false});
  const ConfigVocabulary vocabulary(config);
  const CaseWorkflow workflow(vocabulary, calendar_);
  CaseService service(*store_, workflow, clock_);
  std::set<std::string> visible;
  for (int i = 0; i < 12; ++i) {
    CaseDraft draft;
    draft.phone = "+7916123450" + std::to_string(i % 10);
    draft.topic = i % 3 == 0 ? "pension" : "other";
    auto c = service.Open(draft, Actor{i % 3 == 1 ? "user:u-other" : "contact_centre"});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    if (i % 3 != 2) visible.insert(c->number);
  }
  Router queues(std::make_shared<SessionAuthorizer>(*auth_));
  ASSERT_TRUE(AddCaseRoutes(queues, service,
                            std::make_shared<CaseVisibility>(
                                CaseVisibility::OperatorTopics{{"u-other", {"pension"}}}))
                  .ok());
  std::set<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 50; ++guard) {
    HttpRequest req;
    req.method = Method::kGet;
    req.method_name = "GET";
    req.path = "/api/v1/cases";
    req.query = {{"limit", "2"}};
    if (!cursor.empty()) req.query.emplace_back("cursor", cursor);
    req.remote_address = "127.0.0.9";
    req.headers["authorization"] = "Bearer " + SessionFor("u-other", clock_.Now());
    const HttpResponse r = queues.Dispatch(req);
    ASSERT_EQ(r.status, 200) << r.body;
    const nlohmann::json page = nlohmann::json::parse(r.body);
    for (const auto& item : page["items"]) {
      EXPECT_TRUE(visible.count(item["number"].get<std::string>())) << item.dump();
      seen.insert(item["number"].get<std::string>());
    }
    if (page["next_cursor"].is_null()) break;
    EXPECT_EQ(page["items"].size(), 2u) << "a page with a next one is full";
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, visible);
}

TEST_F(AccessMatrixTest, OpenApiDocumentsRolesScopesAndSignInSchemas) {
  const nlohmann::json doc = BuildOpenApiDocument(*router_, "9.9.9");
  const nlohmann::json& schemas = doc.at("components").at("schemas");
  for (const char* name : {"LoginRequest", "LoginResponse", "Principal", "TotpEnrolment",
                           "TotpConfirm"}) {
    EXPECT_TRUE(schemas.contains(name)) << name;
  }
  EXPECT_TRUE(doc.at("components").at("securitySchemes").contains("bearerAuth"));
  const nlohmann::json& get_case = doc.at("paths").at("/api/v1/cases/{number}").at("get");
  EXPECT_EQ(get_case.at("x-required-role"), "operator");
  EXPECT_EQ(get_case.at("x-api-scope"), "cases:read");
  const nlohmann::json& login = doc.at("paths").at("/api/v1/auth/login").at("post");
  EXPECT_EQ(login.at("x-required-role"), "public");
  EXPECT_FALSE(login.contains("security"));
  EXPECT_TRUE(login.at("responses").contains("429"));
}

}  // namespace
}  // namespace gosline::http
