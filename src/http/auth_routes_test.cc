// The sign-in route behind the real StaffAuth (real SQLite, manual clock):
// the session cookie lives as long as the session, counted on the clock the
// sessions are counted on, whatever the wall clock says.
#include "http/auth_routes.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <stdlib.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "security/encoding.h"
#include "security/key_ring.h"
#include "security/totp.h"

namespace gosline::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

class AuthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-authroutes-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto staff = security::SqliteStaffStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(staff.ok()) << staff.status().ToString();
    staff_ = std::move(staff).value();
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'd'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher =
        security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring)));
    ASSERT_TRUE(cipher.ok());
    auth_ = std::make_unique<security::StaffAuth>(
        *staff_, hasher_, std::make_shared<const security::FieldCipher>(std::move(*cipher)),
        nullptr, clock_);
    router_ = std::make_unique<Router>(std::make_shared<SessionAuthorizer>(*auth_));
    ASSERT_TRUE(AddAuthRoutes(*router_, *auth_).ok());
    auto enrolment = auth_->AddUser("ivanova", "Иванова А.", "operator", kPassword, "cli:root");
    ASSERT_TRUE(enrolment.ok()) << enrolment.status().ToString();
    recovery_codes_ = enrolment->recovery_codes;
  }
  void TearDown() override {
    router_.reset();
    auth_.reset();
    staff_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Signs in with the next unused recovery code; the Set-Cookie header.
  std::string LoginCookie() {
    HttpRequest req;
    req.method = Method::kPost;
    req.method_name = "POST";
    req.path = "/api/v1/auth/login";
    req.remote_address = "127.0.0.1";
    req.headers["content-type"] = "application/json";
    req.body = json{{"login", "ivanova"},
                    {"password", kPassword},
                    {"recovery_code", recovery_codes_.at(used_codes_++)}}
                   .dump();
    HttpResponse r = router_->Dispatch(req);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") return value;
    }
    return "";
  }

  fs::path dir_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  // One hash at a time, none waiting: a test can fill it.
  std::shared_ptr<security::HashingWorkers> hashing_ = std::make_shared<security::HashingWorkers>(1, 0);
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum(), hashing_};
  std::unique_ptr<security::StaffStore> staff_;
  std::unique_ptr<security::StaffAuth> auth_;
  std::unique_ptr<Router> router_;
  std::vector<std::string> recovery_codes_;
  size_t used_codes_ = 0;
};

TEST_F(AuthRoutesTest, CookieLivesAsLongAsTheSessionByTheAuthClock) {
  const auto idle_s =
      std::chrono::duration_cast<std::chrono::seconds>(security::SessionPolicy{}.idle_timeout);
  const std::string idle = "Max-Age=" + std::to_string(idle_s.count()) + ";";
  // Far ahead of and far behind the wall clock: the cookie must not outlive
  // the session by years, nor be dead on arrival.
  for (Time t : {*ParseIso8601("2041-03-01T09:00:00Z"), *ParseIso8601("2001-03-01T09:00:00Z")}) {
    clock_.Set(t);
    const std::string cookie = LoginCookie();
    EXPECT_NE(cookie.find(idle), std::string::npos) << FormatIso8601(t) << ": " << cookie;
  }
}

// Password hashing runs on a bounded pool, never on the HTTP threads without
// limit: when it is full a sign-in is refused at once, 503 with a JSON body.
TEST_F(AuthRoutesTest, SignInsBeyondTheHashingPoolGet503WithAJsonBody) {
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, release = false;
  std::thread busy([&] {
    Status st = hashing_->Run([&] {
      std::unique_lock lock(mu);
      started = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    });
    EXPECT_TRUE(st.ok());
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return started; });
  }
  HttpRequest req;
  req.method = Method::kPost;
  req.method_name = "POST";
  req.path = "/api/v1/auth/login";
  req.remote_address = "127.0.0.1";
  req.headers["content-type"] = "application/json";
  for (const char* login : {"ivanova", "nobody"}) {  // known or not: the same answer
    req.body = json{{"login", login}, {"password", kPassword}}.dump();
    HttpResponse r = router_->Dispatch(req);
    EXPECT_EQ(r.status, 503) << login << ": " << r.body;
    EXPECT_EQ(r.content_type.find("application/json"), 0u) << r.content_type;
    EXPECT_TRUE(json::accept(r.body)) << r.body;
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  busy.join();
  EXPECT_FALSE(LoginCookie().empty()) << "served again once the pool has room";
}

}  // namespace
}  // namespace gosline::http

namespace gosline::http {
namespace {

// A first sign-in over HTTP (R19): the temporary password alone gives a
// session that sees its setup steps and can do nothing else; a password of
// the person's own and their authenticator lift the limit.
class FirstSignInTest : public AuthRoutesTest {
 protected:
  HttpResponse Send(Method method, const std::string& path, const std::string& token,
                    const json& body = nullptr) {
    HttpRequest req;
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.remote_address = "127.0.0.1";
    if (!token.empty()) req.headers["authorization"] = "Bearer " + token;
    if (!body.is_null()) {
      req.headers["content-type"] = "application/json";
      req.body = body.dump();
    }
    return router_->Dispatch(req);
  }
};

TEST_F(FirstSignInTest, TheTemporaryPasswordOnlyOpensTheSetupSteps) {
  const std::string temporary = "abcd-efgh-ijkl-mnop";
  ASSERT_TRUE(auth_->AddUserForFirstSignIn("petrova", "", "operator", temporary, "user:boss").ok());
  // A route outside the setup steps, for the limit to refuse.
  Route probe;
  probe.pattern = "/api/v1/cases";
  probe.role = Role::kOperator;
  probe.doc.operation_id = "listCasesProbe";
  probe.handler = [](const HttpRequest&) { return JsonResponse(200, json::object()); };
  ASSERT_TRUE(AddRoutes(*router_, {probe}).ok());

  HttpResponse login = Send(Method::kPost, "/api/v1/auth/login", "",
                            {{"login", "petrova"}, {"password", temporary}});
  ASSERT_EQ(login.status, 200) << login.body;
  const json signed_in = json::parse(login.body);
  EXPECT_EQ(signed_in["user"]["setup_required"], json::array({"password", "totp"}));
  const std::string token = signed_in["token"];

  HttpResponse cases = Send(Method::kGet, "/api/v1/cases", token);
  EXPECT_EQ(cases.status, 403) << cases.body;
  EXPECT_EQ(json::parse(cases.body)["error"]["message"].get<std::string>().rfind("first sign-in:", 0),
            0u) << cases.body;

  HttpResponse weak = Send(Method::kPost, "/api/v1/auth/password", token,
                           {{"current_password", temporary}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(json::parse(weak.body)["error"]["field"], "new_password");
  HttpResponse changed = Send(Method::kPost, "/api/v1/auth/password", token,
                              {{"current_password", temporary},
                               {"new_password", "petrova's own passphrase"}});
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(json::parse(Send(Method::kGet, "/api/v1/auth/me", token).body)["setup_required"],
            json::array({"totp"}));
  EXPECT_EQ(Send(Method::kGet, "/api/v1/cases", token).status, 403);

  HttpResponse enrol = Send(Method::kPost, "/api/v1/auth/totp/enrol", token);
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string uri = json::parse(enrol.body)["otpauth_uri"];
  const size_t at = uri.find("secret=") + 7;
  const std::string secret = *security::Base32Decode(uri.substr(at, uri.find('&', at) - at));
  HttpResponse confirmed = Send(Method::kPost, "/api/v1/auth/totp/confirm", token,
                                {{"totp", security::TotpCode(secret, clock_.Now()).value()}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(json::parse(confirmed.body)["recovery_codes"].size(), 10u);

  EXPECT_EQ(json::parse(Send(Method::kGet, "/api/v1/auth/me", token).body)["setup_required"],
            json::array());
  EXPECT_EQ(Send(Method::kGet, "/api/v1/cases", token).status, 200);

  // Enrolled now: moving to another authenticator takes the password and a current code.
  HttpResponse bare = Send(Method::kPost, "/api/v1/auth/totp/enrol", token);
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(json::parse(bare.body)["error"]["field"], "password");
  clock_.Advance(std::chrono::seconds(30));
  HttpResponse proved = Send(Method::kPost, "/api/v1/auth/totp/enrol", token,
                             {{"password", "petrova's own passphrase"},
                              {"totp", security::TotpCode(secret, clock_.Now()).value()}});
  EXPECT_EQ(proved.status, 200) << proved.body;
}

}  // namespace
}  // namespace gosline::http
