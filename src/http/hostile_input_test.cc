// Hostile input at the case API, against the real routes and a
// real SQLite store: injection-like strings in every free-text field are stored
// and returned verbatim (the SQL stays intact), oversized fields are refused
// with 400 and a JSON error naming the field. (Oversized bodies: 413 in
// http_server_test; forged/expired tokens: access_matrix_test; replayed TOTP:
// staff_auth_test; a tampered audit record: audit_log_test, security_commands_test.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/clock.h"
#include "config/config_vocabulary.h"
#include "http/case_routes.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::http {
namespace {

using nlohmann::json;

const char* const kHostile[] = {
    "'; DROP TABLE cases; --",
    "\" OR 1=1 --",
    "Robert'); DELETE FROM cases WHERE ('1'='1",
    "<script>alert('x')</script>",
    "${jndi:ldap://x/a} {{7*7}} %s%n",
    "\\\\ \\\" \\u0000 юникод ✓",
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_hostile_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = SqliteCaseStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    config_.topics = {Topic{"other", {}, "", "", false, false}};
    vocabulary_ = std::make_unique<ConfigVocabulary>(config_);
    workflow_ = std::make_unique<CaseWorkflow>(*vocabulary_, calendar_);
    service_ = std::make_unique<CaseService>(*store_, *workflow_, clock_);
    ASSERT_TRUE(AddCaseRoutes(router_, *service_).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Call(Method method, const std::string& path, const json& body,
                    const std::string& actor = "") {
    HttpRequest req;
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.request_id = "hostile";
    if (!body.is_null()) {
      req.headers["content-type"] = "application/json";
      req.body = body.dump();
    }
    if (!actor.empty()) req.headers["x-gosline-actor"] = actor;
    return router_.Dispatch(req);
  }

  static void ExpectJsonError(const HttpResponse& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << r.body;
    EXPECT_EQ(body["error"].value("field", ""), field) << r.body;
  }

  std::filesystem::path dir_;
  Config config_;
  BusinessCalendar calendar_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<ConfigVocabulary> vocabulary_;
  std::unique_ptr<CaseWorkflow> workflow_;
  std::unique_ptr<CaseService> service_;
  Router router_;
};

TEST_F(HostileInputTest, InjectionLikeStringsAreStoredAndReturnedVerbatim) {
  int created = 0;
  for (const char* hostile : kHostile) {
    const std::string s = hostile;
    HttpResponse r = Call(Method::kPost, "/api/v1/cases",
                          json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", s}},
                          s.find('\\') == std::string::npos ? s : "actor");
    ASSERT_EQ(r.status, 201) << s << " -> " << r.body;
    ++created;
    const std::string number = json::parse(r.body)["number"];
    const std::string one = "/api/v1/cases/" + number;
    ASSERT_EQ(Call(Method::kPost, one + "/notes", json{{"text", s}}).status, 201) << s;
    ASSERT_EQ(Call(Method::kPost, one + "/links", json{{"kind", "call"}, {"ref", s}}).status, 201) << s;
    ASSERT_EQ(Call(Method::kPost, one + "/transitions", json{{"to", "in_progress"}, {"reason", s}}).status,
              200) << s;

    json got = json::parse(Call(Method::kGet, one, nullptr).body);
    EXPECT_EQ(got["summary"], s);
    // Identifier-like fields have a strict alphabet: refused with the field, not stored.
    ExpectJsonError(Call(Method::kPost, "/api/v1/cases",
                         json{{"phone", "+79161234567"}, {"topic", "other"}, {"portal_account_id", s}}),
                    400, "portal_account_id");
    ExpectJsonError(Call(Method::kPost, "/api/v1/cases", json{{"phone", "+79161234567"}, {"topic", s}}),
                    400, "topic");
    EXPECT_EQ(got["links"].back()["ref"], s);
    json history = json::parse(Call(Method::kGet, one + "/history", nullptr).body)["items"];
    bool note_found = false;
    for (const json& e : history) note_found = note_found || e.value("detail", "") == s;
    EXPECT_TRUE(note_found) << history.dump();
    if (s.find('\\') == std::string::npos) {
      EXPECT_EQ(history.front()["actor"], s);
    }
  }
  // The table is intact: every case is still there and searchable.
  HttpResponse all = Call(Method::kGet, "/api/v1/cases", nullptr);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(json::parse(all.body)["items"].size(), static_cast<size_t>(created));
  // Hostile query values are values, not SQL.
  HttpRequest req;
  req.method = Method::kGet;
  req.method_name = "GET";
  req.path = "/api/v1/cases";
  req.query = {{"topic", "other' OR '1'='1"}};
  HttpResponse none = router_.Dispatch(req);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(json::parse(none.body)["items"].size(), 0u);
}

TEST_F(HostileInputTest, OversizedFieldsAre400WithTheField) {
  const std::string big(kMaxSummaryBytes + 1, 'x');
  ExpectJsonError(Call(Method::kPost, "/api/v1/cases",
                       json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", big}}),
                  400, "summary");
  HttpResponse r = Call(Method::kPost, "/api/v1/cases", json{{"phone", "+79161234567"}, {"topic", "other"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string one = "/api/v1/cases/" + json::parse(r.body)["number"].get<std::string>();
  ExpectJsonError(Call(Method::kPost, one + "/notes", json{{"text", std::string(kMaxNoteBytes + 1, 'n')}}),
                  400, "text");
  ExpectJsonError(Call(Method::kPost, one + "/transitions",
                       json{{"to", "in_progress"}, {"reason", std::string(kMaxReasonBytes + 1, 'r')}}),
                  400, "reason");
  ExpectJsonError(Call(Method::kPost, one + "/notes", json{{"text", "ok"}}, std::string(129, 'a')), 400,
                  kActorHeader);
  // A phone number that is a string of 10 000 digits is not a phone number.
  ExpectJsonError(Call(Method::kPost, "/api/v1/cases",
                       json{{"phone", std::string(10000, '9')}, {"topic", "other"}}),
                  400, "phone");
  // Wrong types and nesting bombs are JSON errors too, never a crash.
  EXPECT_EQ(Call(Method::kPost, "/api/v1/cases", json{{"phone", json::array({1, 2})}, {"topic", "other"}}).status,
            400);
  std::string deep(10000, '[');
  HttpRequest bomb;
  bomb.method = Method::kPost;
  bomb.method_name = "POST";
  bomb.path = "/api/v1/cases";
  bomb.headers["content-type"] = "application/json";
  bomb.body = deep;
  EXPECT_EQ(router_.Dispatch(bomb).status, 400);
}

// R30/R21: a recording linked to a case plays as audio/wav; a bad index, a
// link to something that is not a WAV file (a path an attacker linked) or a
// file gone (retention) answer 400/404 and never leak other files.
TEST_F(HostileInputTest, RecordingPlaysOnlyTheLinkedWavFile) {
  HttpResponse r = Call(Method::kPost, "/api/v1/cases",
                        json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", "call"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string one = "/api/v1/cases/" + json::parse(r.body)["number"].get<std::string>();
  const std::filesystem::path wav = dir_ / "rec.wav";
  const std::string bytes = std::string("RIFF\x24\0\0\0WAVEfmt ", 16) + std::string(64, '\x7f');
  { std::ofstream(wav, std::ios::binary) << bytes; }
  ASSERT_EQ(Call(Method::kPost, one + "/links", json{{"kind", "recording"}, {"ref", wav.string()}}).status, 201);
  ASSERT_EQ(Call(Method::kPost, one + "/links", json{{"kind", "recording"}, {"ref", "/etc/passwd"}}).status, 201);

  HttpResponse played = Call(Method::kGet, one + "/recordings/1", nullptr);
  EXPECT_EQ(played.status, 200) << played.body;
  EXPECT_EQ(played.content_type, "audio/wav");
  EXPECT_EQ(played.body, bytes);
  EXPECT_EQ(Call(Method::kGet, one + "/recordings/2", nullptr).status, 404);  // not a .wav
  EXPECT_EQ(Call(Method::kGet, one + "/recordings/3", nullptr).status, 404);  // no such link
  ExpectJsonError(Call(Method::kGet, one + "/recordings/0", nullptr), 400, "index");
  ExpectJsonError(Call(Method::kGet, one + "/recordings/x", nullptr), 400, "index");
  std::filesystem::remove(wav);
  EXPECT_EQ(Call(Method::kGet, one + "/recordings/1", nullptr).status, 404);  // deleted by retention
}

}  // namespace
}  // namespace gosline::http
