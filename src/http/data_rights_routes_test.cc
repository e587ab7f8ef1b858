// R24 end to end: the real server on 127.0.0.1 with real sessions, the data
// rights service over real SQLite stores with encryption at rest.
#include "http/data_rights_routes.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "http/http_server.h"
#include "http/session_authorizer.h"
#include "security/audit_log.h"
#include "security/password_hasher.h"
#include "security/session_token.h"
#include "security/staff_auth.h"
#include "security/staff_store.h"
#include "security/storage_row_cipher.h"
#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::http {
namespace {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;

class DataRightsRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-rights-http-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "gosline.db").string();
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'd'), "test");
    ASSERT_TRUE(ring.ok());
    auto fc = security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring)));
    ASSERT_TRUE(fc.ok());
    auto field = std::make_shared<const security::FieldCipher>(std::move(*fc));
    auto cipher = std::make_shared<const security::StorageRowCipher>(field, "key file test.key");

    auto cases = SqliteCaseStore::Open(db_, {.synchronous = SqliteSync::kNormal, .cipher = cipher});
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    cases_ = std::move(*cases);
    auto consents = SqliteConsentStore::Open(db_, cipher);
    ASSERT_TRUE(consents.ok());
    consents_ = std::move(*consents);
    auto erasure = SqliteRetentionStore::Open(db_, cipher);
    ASSERT_TRUE(erasure.ok());
    erasure_ = std::move(*erasure);
    auto staff = security::SqliteStaffStore::Open(db_);
    ASSERT_TRUE(staff.ok());
    staff_ = std::move(*staff);
    auto audit = security::AuditLog::Open(db_ + ".audit");
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    auth_ = std::make_unique<security::StaffAuth>(*staff_, hasher_, field, audit_.get(), clock_);
    for (const char* role : {"operator", "compliance_controller", "administrator"}) {
      ASSERT_TRUE(auth_->AddUser(std::string("u-") + role, "", role, "a long enough password",
                                 "system:test")
                      .ok());
    }
    service_ = std::make_unique<DataRightsService>(
        *cases_, *consents_, *erasure_, nullptr, BusinessCalendar(), clock_,
        [this](const std::string& actor, const std::string& action, const std::string& object,
               const std::string& detail) {
          EXPECT_TRUE(audit_->Append({actor, action, object, detail}, clock_.Now()).ok());
        });
    router_ = std::make_unique<Router>(std::make_shared<SessionAuthorizer>(*auth_));
    ASSERT_TRUE(AddDataRightsRoutes(*router_, service_.get()).ok());
    HttpConfig c;
    c.port = 0;
    c.threads = 1;
    server_ = std::make_unique<HttpServer>(c, *router_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    server_.reset();
    router_.reset();
    service_.reset();
    auth_.reset();
    audit_.reset();
    staff_.reset();
    erasure_.reset();
    consents_.reset();
    cases_.reset();
    fs::remove_all(dir_);
  }
  std::string BearerFor(const std::string& role) {
    auto user = staff_->FindUser("u-" + role);
    EXPECT_TRUE(user.ok());
    security::IssuedToken t = security::NewSessionToken();
    EXPECT_TRUE(staff_->AddSession({t.hash, user->id, clock_.Now(), clock_.Now()}).ok());
    return "Bearer " + t.token;
  }
  std::pair<int, json> Call(bhttp::verb verb, const std::string& target, const std::string& role,
                            const std::string& body = "") {
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    bhttp::request<bhttp::string_body> req(verb, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!role.empty()) req.set(bhttp::field::authorization, BearerFor(role));
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    bhttp::write(s, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res);
    return {static_cast<int>(res.result_int()), json::parse(res.body(), nullptr, false)};
  }

  fs::path dir_;
  std::string db_;
  ManualClock clock_{*ParseIso8601("2026-05-08T10:00:00Z")};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<SqliteCaseStore> cases_;
  std::unique_ptr<SqliteConsentStore> consents_;
  std::unique_ptr<SqliteRetentionStore> erasure_;
  std::unique_ptr<security::StaffStore> staff_;
  std::unique_ptr<security::AuditLog> audit_;
  std::unique_ptr<security::StaffAuth> auth_;
  std::unique_ptr<DataRightsService> service_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(DataRightsRoutesTest, R24ConsentThenExportAndDeletionByTheComplianceController) {
  auto [st, consent] = Call(bhttp::verb::post, "/api/v1/citizens/consents", "operator",
                            R"({"phone":"+79161234567","channel":"sms","granted":true,"source":"ivr"})");
  ASSERT_EQ(st, 201) << consent.dump();
  EXPECT_EQ(consent["recorded_at"], "2026-05-08T10:00:00.000Z");
  auto [ls, list] = Call(bhttp::verb::get, "/api/v1/citizens/consents?phone=%2B79161234567",
                         "compliance_controller");
  ASSERT_EQ(ls, 200) << list.dump();
  EXPECT_EQ(list["items"].size(), 1u);

  auto [os, req] = Call(bhttp::verb::post, "/api/v1/data-requests", "operator",
                        R"({"kind":"export","phone":"8 916 123-45-67","channel":"chat"})");
  ASSERT_EQ(os, 201) << req.dump();
  EXPECT_EQ(req["kind"], "export");
  EXPECT_EQ(req["channel"], "chat");
  EXPECT_FALSE(req["confirmation_due_at"].get<std::string>().empty());
  const std::string number = req["number"];
  // Operators open requests; only the compliance controller runs them.
  EXPECT_EQ(Call(bhttp::verb::get, "/api/v1/data-requests/" + number + "/export", "operator").first, 403);
  EXPECT_EQ(Call(bhttp::verb::get, "/api/v1/data-requests/" + number + "/export", "").first, 401);
  auto [es, exported] =
      Call(bhttp::verb::get, "/api/v1/data-requests/" + number + "/export", "compliance_controller");
  ASSERT_EQ(es, 200) << exported.dump();
  EXPECT_EQ(exported["phone"], "+79161234567");
  EXPECT_EQ(exported["cases"].size(), 1u);
  EXPECT_EQ(exported["consents"].size(), 1u);

  auto [ds, del] = Call(bhttp::verb::post, "/api/v1/data-requests", "operator",
                        R"({"kind":"deletion","phone":"+79161234567","channel":"call"})");
  ASSERT_EQ(ds, 201);
  auto [rs, erased] = Call(bhttp::verb::post,
                           "/api/v1/data-requests/" + del["number"].get<std::string>() + "/deletion",
                           "compliance_controller");
  ASSERT_EQ(rs, 200) << erased.dump();
  EXPECT_EQ(erased["consents_deleted"], 1);
  EXPECT_EQ(erased["cases_erased"].size(), 1u);  // the export request, resolved
  // Running an export request as a deletion is refused.
  EXPECT_EQ(Call(bhttp::verb::post, "/api/v1/data-requests/" + number + "/deletion",
                 "compliance_controller").first, 409);
}

TEST_F(DataRightsRoutesTest, HostileInputIs4xxWithAJsonError) {
  ASSERT_EQ(Call(bhttp::verb::post, "/api/v1/data-requests", "operator",
                 R"({"kind":"correction","phone":"+79161234567","channel":"call","detail":"x"})")
                .first,
            201);
  for (const std::string& body :
       {std::string(R"({"kind":"export","phone":"'; DROP TABLE cases;--","channel":"call"})"),
        std::string(R"({"kind":"erase-everything","phone":"+79161234567","channel":"call"})"),
        std::string(R"({"kind":"export","phone":"+79161234567","channel":"pigeon"})"),
        R"({"kind":"export","phone":"+79161234567","channel":"call","detail":")" +
            std::string(5000, 'x') + "\"}",
        std::string(R"({"kind":["export"]})"), std::string("not json")}) {
    auto [s, err] = Call(bhttp::verb::post, "/api/v1/data-requests", "operator", body);
    EXPECT_EQ(s, 400) << body.substr(0, 80) << " " << err.dump();
    EXPECT_TRUE(err.contains("error")) << err.dump();
  }
  auto [s1, e1] = Call(bhttp::verb::post, "/api/v1/citizens/consents", "operator",
                       R"({"phone":"+79161234567","channel":"sms","granted":"yes","source":"ivr"})");
  EXPECT_EQ(s1, 400);
  auto [s2, e2] = Call(bhttp::verb::get, "/api/v1/data-requests/12345/export", "compliance_controller");
  EXPECT_EQ(s2, 400);
  auto [s3, e3] = Call(bhttp::verb::get, "/api/v1/citizens/consents", "operator");
  EXPECT_EQ(s3, 400);
  // Nothing in the database file in clear.
  for (const std::string& file : {db_, db_ + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("9161234567"), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace gosline::http
