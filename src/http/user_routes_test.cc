// The user routes behind the real session authorizer (real SQLite, manual
// clock): a security administrator creates, changes and resets accounts and
// gets a temporary password with no-store, never a second factor (R19); a
// first-sign-in session can do nothing but its own setup; guard rails and bad input give
// JSON errors; other roles get 403; the OpenAPI document describes it all.
#include "http/user_routes.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "http/openapi.h"
#include "http/session_authorizer.h"
#include "security/encoding.h"
#include "security/key_ring.h"
#include "security/session_token.h"
#include "security/totp.h"

namespace gosline::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

class UserRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-userroutes-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto staff = security::SqliteStaffStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(staff.ok()) << staff.status().ToString();
    staff_ = std::move(staff).value();
    auto audit = security::AuditLog::Open((dir_ / "cases.db.audit").string());
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(audit).value();
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'd'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher =
        security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring)));
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_shared<const security::FieldCipher>(std::move(*cipher));
    auth_ = std::make_unique<security::StaffAuth>(*staff_, hasher_, cipher_, audit_.get(), clock_);
    admin_ = std::make_unique<StaffAdmin>(*staff_, hasher_, cipher_, audit_.get(), clock_);
    router_ = std::make_unique<Router>(std::make_shared<SessionAuthorizer>(*auth_));
    ASSERT_TRUE(AddUserRoutes(*router_, *admin_).ok());
    for (auto [login, role] : {std::pair{"boss", "security_administrator"},
                               std::pair{"sidorov", "administrator"},
                               std::pair{"volkova", "supervisor"}}) {
      ASSERT_TRUE(admin_->Create({login, "", role, kPassword}, "cli:root").ok());
      FinishSetup(login);
    }
  }
  // As if the owner had replaced the temporary password and enrolled.
  void FinishSetup(const std::string& login) {
    ASSERT_TRUE(auth_->ResetTotp(login, "cli:root").ok());
    auto user = staff_->FindUser(login);
    ASSERT_TRUE(user.ok());
    user->password_temporary = false;
    ASSERT_TRUE(staff_->UpdateUser(*user).ok());
  }
  std::vector<std::string> AuditActions(const std::string& actor) {
    std::vector<std::string> out;
    auto records = audit_->Read(1, 1000);
    EXPECT_TRUE(records.ok());
    if (!records.ok()) return out;
    for (const auto& rec : *records) {
      if (rec.actor == actor) out.push_back(rec.action);
    }
    return out;
  }
  void TearDown() override {
    router_.reset();
    admin_.reset();
    auth_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string SessionFor(const std::string& login) {
    auto user = staff_->FindUser(login);
    EXPECT_TRUE(user.ok()) << login;
    security::IssuedToken t = security::NewSessionToken();
    EXPECT_TRUE(staff_->AddSession({t.hash, user->id, clock_.Now(), clock_.Now()}).ok());
    return t.token;
  }
  HttpResponse Call(Method method, const std::string& path, const std::string& as,
                    const std::string& body = "", const std::string& type = "application/json") {
    HttpRequest req;
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.remote_address = "127.0.0.1";
    req.headers["authorization"] = "Bearer " + SessionFor(as);
    if (!body.empty()) {
      req.headers["content-type"] = type;
      req.body = body;
    }
    return router_->Dispatch(req);
  }
  static json Body(const HttpResponse& r) { return json::parse(r.body); }
  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  static std::string ErrorMessage(const HttpResponse& r) {
    return Body(r)["error"].value("message", "");
  }

  fs::path dir_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<security::StaffStore> staff_;
  std::unique_ptr<security::AuditLog> audit_;
  std::shared_ptr<const security::FieldCipher> cipher_;
  std::unique_ptr<security::StaffAuth> auth_;
  std::unique_ptr<StaffAdmin> admin_;
  std::unique_ptr<Router> router_;
};

TEST_F(UserRoutesTest, CreateReturnsOnlyATemporaryPasswordAndTheOwnerSetsUpTheRest) {
  HttpResponse r = Call(Method::kPost, "/api/v1/users", "boss",
                        R"({"login":"ivanova","display_name":"Иванова А.","role":"operator"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Header(r, "Location"), "/api/v1/users/ivanova");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  const json body = Body(r);
  EXPECT_EQ(body["user"]["login"], "ivanova");
  EXPECT_EQ(body["user"]["role"], "operator");
  EXPECT_EQ(body["user"]["totp_enrolled"], false);
  EXPECT_FALSE(body.contains("enrolment")) << "no second factor reaches the administrator";
  EXPECT_EQ(r.body.find("otpauth"), std::string::npos);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("recovery"), std::string::npos);
  const std::string password = body["temporary_password"];

  // The temporary password opens a session that can only do the first-sign-in steps.
  auto login = auth_->Login({"ivanova", password, "", "", "10.0.0.1"});
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  HttpRequest cases;
  cases.method = Method::kGet;
  cases.path = "/api/v1/users";
  cases.remote_address = "127.0.0.1";
  cases.headers["authorization"] = "Bearer " + login->token;
  SessionAuthorizer authorizer(*auth_);
  Route list_route{Method::kGet, "/api/v1/users", Role::kAuthenticated, {}, {}, ""};
  Status refused = authorizer.AuthorizeRoute(cases, list_route);
  EXPECT_EQ(refused.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "first sign-in: set your own password and enrol your authenticator first");
  Route me_route{Method::kGet, "/api/v1/auth/me", Role::kAuthenticated, {}, {}, ""};
  EXPECT_TRUE(authorizer.AuthorizeRoute(cases, me_route).ok());

  // With a password given, none comes back.
  HttpResponse own = Call(Method::kPost, "/api/v1/users", "boss",
                          R"({"login":"petrov","role":"supervisor","password":"a long enough password"})");
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_FALSE(Body(own).contains("temporary_password"));
  EXPECT_TRUE(staff_->FindUser("petrov")->password_temporary) << "it is temporary all the same";

  HttpResponse list = Call(Method::kGet, "/api/v1/users", "boss");
  ASSERT_EQ(list.status, 200);
  std::set<std::string> logins;
  const json users = Body(list)["users"];
  ASSERT_TRUE(users.is_array());
  for (const json& u : users) {
    logins.insert(u["login"].get<std::string>());
    EXPECT_FALSE(u.contains("password_hash"));
    EXPECT_EQ(u["locked"], false);
  }
  EXPECT_EQ(logins, (std::set<std::string>{"boss", "ivanova", "petrov", "sidorov", "volkova"}));
  HttpResponse one = Call(Method::kGet, "/api/v1/users/ivanova", "boss");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one)["display_name"], "Иванова А.");
}

TEST_F(UserRoutesTest, BadInputIsAJsonErrorNamingTheField) {
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"role":"operator"})", 400, "login"},
           {R"({"login":"x1","role":"king"})", 400, "role"},
           {R"({"login":"x1","role":"operator","password":"short"})", 400, "password"},
           {R"({"login":"X Y","role":"operator"})", 400, "login"},
           {R"({"login":"x1","role":"operator","admin":true})", 400, "admin"},
           {R"({"login":7,"role":"operator"})", 400, "login"},
           {R"({"login":"volkova","role":"operator"})", 409, "login"},
       }) {
    HttpResponse r = Call(Method::kPost, "/api/v1/users", "boss", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    EXPECT_EQ(Body(r)["error"].value("field", ""), c.field) << c.body;
  }
  EXPECT_EQ(Call(Method::kPost, "/api/v1/users", "boss", "login=x", "text/plain").status, 415);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/users", "boss", "[1,2]").status, 400);
  HttpResponse wrong_type = Call(Method::kPatch, "/api/v1/users/volkova", "boss", R"({"disabled":"yes"})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(Body(wrong_type)["error"]["field"], "disabled");
  EXPECT_EQ(Call(Method::kPatch, "/api/v1/users/volkova", "boss", "{}").status, 400);
  for (std::string path : {"/api/v1/users/nobody", "/api/v1/users/nobody/totp-reset",
                           "/api/v1/users/nobody/password", "/api/v1/users/nobody/unlock"}) {
    HttpResponse r = Call(path == "/api/v1/users/nobody" ? Method::kGet : Method::kPost, path, "boss");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_TRUE(Body(r).contains("error")) << path;
  }
}

TEST_F(UserRoutesTest, PatchChangesRoleAndDisablesWithGuardRails) {
  const std::string session = SessionFor("volkova");
  HttpResponse r = Call(Method::kPatch, "/api/v1/users/volkova", "boss", R"({"role":"operator"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["role"], "operator");
  EXPECT_FALSE(auth_->AuthenticateSession(session).ok()) << "a new role ends the sessions";
  HttpResponse off = Call(Method::kPatch, "/api/v1/users/volkova", "boss", R"({"disabled":true})");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(Body(off)["disabled"], true);

  HttpResponse self = Call(Method::kPatch, "/api/v1/users/boss", "boss", R"({"disabled":true})");
  EXPECT_EQ(self.status, 409);
  EXPECT_NE(ErrorMessage(self).find("your own account"), std::string::npos) << self.body;
  HttpResponse last = Call(Method::kPatch, "/api/v1/users/boss", "boss", R"({"role":"operator"})");
  EXPECT_EQ(last.status, 409);
  EXPECT_NE(ErrorMessage(last).find("last security administrator"), std::string::npos) << last.body;
}

TEST_F(UserRoutesTest, ResetsGiveNoSecondFactorAndEndSessions) {
  const std::string session = SessionFor("volkova");
  HttpResponse totp = Call(Method::kPost, "/api/v1/users/volkova/totp-reset", "boss");
  ASSERT_EQ(totp.status, 200) << totp.body;
  EXPECT_EQ(Body(totp)["totp_enrolled"], false);
  EXPECT_EQ(totp.body.find("secret"), std::string::npos);
  EXPECT_EQ(totp.body.find("otpauth"), std::string::npos);
  EXPECT_FALSE(Body(totp).contains("temporary_password"));
  EXPECT_FALSE(auth_->AuthenticateSession(session).ok());

  HttpResponse pw = Call(Method::kPost, "/api/v1/users/volkova/password", "boss");
  ASSERT_EQ(pw.status, 200) << pw.body;
  EXPECT_EQ(Header(pw, "Cache-Control"), "no-store");
  EXPECT_EQ(Body(pw)["temporary_password"].get<std::string>().size(), 19u);

  HttpResponse unlock = Call(Method::kPost, "/api/v1/users/volkova/unlock", "boss");
  ASSERT_EQ(unlock.status, 200) << unlock.body;
  EXPECT_EQ(Body(unlock)["failed_logins"], 0);

  // The audit records name the account and never the secrets.
  auto records = audit_->Read(1, 1000);
  ASSERT_TRUE(records.ok());
  std::set<std::string> actions;
  for (const auto& rec : *records) {
    if (rec.actor != "user:boss") continue;
    actions.insert(rec.action);
    EXPECT_EQ(rec.object, "user:volkova");
    EXPECT_EQ(rec.detail.find(Body(pw)["temporary_password"].get<std::string>()), std::string::npos);
  }
  EXPECT_EQ(actions, (std::set<std::string>{"user.totp_reset", "user.password_reset", "user.unlock"}));
}

TEST_F(UserRoutesTest, OnlySecurityAdministratorsMayCall) {
  for (const char* who : {"sidorov", "volkova"}) {
    EXPECT_EQ(Call(Method::kGet, "/api/v1/users", who).status, 403) << who;
    HttpResponse r = Call(Method::kPost, "/api/v1/users", who, R"({"login":"x1","role":"operator"})");
    EXPECT_EQ(r.status, 403) << who;
    EXPECT_TRUE(Body(r).contains("error"));
    EXPECT_EQ(Call(Method::kPost, "/api/v1/users/boss/totp-reset", who).status, 403) << who;
  }
  EXPECT_EQ(admin_->Get("x1").status().code(), Status::Code::kNotFound);
}

TEST_F(UserRoutesTest, OpenApiDescribesEveryRouteAndSchema) {
  const json doc = BuildOpenApiDocument(*router_, "9.9.9");
  const json& schemas = doc.at("components").at("schemas");
  for (const Route& r : router_->routes()) {
    std::string method(ToString(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& op = doc.at("paths").at(r.pattern).at(method);
    EXPECT_EQ(op.value("operationId", ""), r.doc.operation_id) << r.pattern;
    EXPECT_EQ(op.value("x-required-role", ""), "security_administrator") << r.pattern;
    for (const std::string& name : {r.doc.request_schema, r.doc.response_schema}) {
      if (!name.empty()) {
        EXPECT_TRUE(schemas.contains(name)) << name;
      }
    }
  }
  EXPECT_EQ(router_->routes().size(), 7u);
}

}  // namespace
}  // namespace gosline::http
