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
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/clock.h"
#include "config/config_vocabulary.h"
#include "http/audit_hook.h"
#include "http/case_routes.h"
#include "security/key_ring.h"
#include "security/recording_stream.h"
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
    recordings_ = dir_ / "var" / "recordings";
    std::filesystem::create_directories(recordings_);
    ASSERT_TRUE(AddCaseRoutes(router_, *service_, nullptr, RecordingPlayback{recordings_.string(), nullptr, nullptr}).ok());
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
  std::filesystem::path recordings_;  // telephony.recordings_dir
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

// R30: recordings are linked by the contact centre when a call ends; a
// client's link of kind "recording" is refused, naming the field, and the
// case keeps no such link. Other kinds are linked as before.
TEST_F(HostileInputTest, ClientCannotLinkARecording) {
  HttpResponse r = Call(Method::kPost, "/api/v1/cases",
                        json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", "call"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string number = json::parse(r.body)["number"];
  const std::string one = "/api/v1/cases/" + number;
  const std::string refs[] = {(recordings_ / (number + "_sip-1.wav")).string(), "/etc/passwd",
                              "../../config/gosline.yaml"};
  for (const std::string& ref : refs) {
    ExpectJsonError(Call(Method::kPost, one + "/links", json{{"kind", "recording"}, {"ref", ref}}), 400,
                    "kind");
  }
  EXPECT_EQ(Call(Method::kPost, one + "/links", json{{"kind", "call"}, {"ref", "sip-1"}}).status, 201);
  json links = json::parse(Call(Method::kGet, one, nullptr).body)["links"];
  for (const json& l : links) EXPECT_NE(l["kind"], "recording") << links.dump();
}

// R30/R21: a recording linked to a case plays as audio/wav, but only a file of
// that case inside the recordings folder: a link (from an import, or made
// before clients were refused) to a file outside it, by path, by "..", or by a
// symlink, to another case's recording, or to a file gone (retention) reads as
// absent (404, never 500), and every playback, refused or not, is audited.
TEST_F(HostileInputTest, RecordingPlaysOnlyFromTheRecordingsFolder) {
  auto open_case = [&] {
    HttpResponse r = Call(Method::kPost, "/api/v1/cases",
                          json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", "call"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["number"].get<std::string>();
  };
  const std::string number = open_case();
  const std::string other = open_case();
  const std::string one = "/api/v1/cases/" + number;
  const std::string bytes = std::string("RIFF\x24\0\0\0WAVEfmt ", 16) + std::string(64, '\x7f');
  auto write = [&bytes](const std::filesystem::path& p) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  };
  const std::filesystem::path wav = recordings_ / (number + "_sip-1.wav");
  const std::filesystem::path beside = dir_ / "var" / (number + "_sip-2.wav");
  const std::filesystem::path config = dir_ / "config" / "gosline.yaml";
  const std::filesystem::path other_wav = recordings_ / (other + "_sip-3.wav");
  const std::filesystem::path escape = recordings_ / (number + "_sip-4.wav");
  write(wav);
  write(beside);
  write(config);
  write(other_wav);
  std::filesystem::create_symlink(beside, escape);
  // Linked as the contact centre links them (the HTTP route refuses to).
  const std::string refs[] = {
      wav.string(),                                                 // 1: plays
      "/etc/passwd",                                                // 2
      beside.string(),                                              // 3: a recording name, outside
      (recordings_ / ".." / ".." / "config" / "gosline.yaml").string(),  // 4
      (recordings_ / ".." / beside.filename()).string(),            // 5
      escape.string(),                                              // 6: symlink out of the folder
      other_wav.string(),                                           // 7: another case's recording
      "../../config/gosline.yaml",                                  // 8
  };
  for (const std::string& ref : refs) {
    ASSERT_TRUE(service_->Link(number, CaseLink{"recording", ref, {}}, Actor{"system"}).ok()) << ref;
  }

  std::vector<std::pair<std::string, int>> audited;  // action, status
  router_.SetAuditHook([&audited](const HttpRequest& req, const Route& route, int status) {
    if (auto e = AuditEntryFor(req, route, status)) audited.emplace_back(e->action, status);
  });
  HttpResponse played = Call(Method::kGet, one + "/recordings/1", nullptr);
  EXPECT_EQ(played.status, 200) << played.body;
  EXPECT_EQ(played.content_type, "audio/wav");
  EXPECT_EQ(played.body, bytes);
  for (size_t i = 2; i <= std::size(refs); ++i) {
    HttpResponse r = Call(Method::kGet, one + "/recordings/" + std::to_string(i), nullptr);
    EXPECT_EQ(r.status, 404) << refs[i - 1] << " -> " << r.body;
    EXPECT_EQ(r.body.find("RIFF"), std::string::npos) << refs[i - 1];
  }
  EXPECT_EQ(Call(Method::kGet, one + "/recordings/9", nullptr).status, 404);  // no such link
  ExpectJsonError(Call(Method::kGet, one + "/recordings/0", nullptr), 400, "index");
  ExpectJsonError(Call(Method::kGet, one + "/recordings/x", nullptr), 400, "index");
  std::filesystem::remove(wav);
  EXPECT_EQ(Call(Method::kGet, one + "/recordings/1", nullptr).status, 404);  // deleted by retention

  // 1 + 7 refused + no link + 2 bad indexes + gone: each one audited.
  ASSERT_EQ(audited.size(), 12u);
  for (const auto& [action, status] : audited) EXPECT_EQ(action, "recording.play") << status;
  EXPECT_EQ(audited[1].second, 404);
}

// R22/R30: a recording sealed as a stream plays as a WAV; one the server
// stopped writing mid-call plays up to its last sealed second and says it
// was cut short, rather than being refused.
TEST_F(HostileInputTest, SealedRecordingCutShortPlaysAndIsMarkedTruncated) {
  auto ring = security::KeyRing::Parse(
      "k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "test ring");
  ASSERT_TRUE(ring.ok());
  auto keys = std::make_shared<const security::KeyRing>(std::move(*ring));
  Router sealed_router;
  ASSERT_TRUE(AddCaseRoutes(sealed_router, *service_, nullptr,
                            RecordingPlayback{recordings_.string(), nullptr, keys})
                  .ok());
  HttpResponse created = Call(Method::kPost, "/api/v1/cases",
                              json{{"phone", "+79161234567"}, {"topic", "other"}, {"summary", "call"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string number = json::parse(created.body)["number"].get<std::string>();
  const std::filesystem::path file = recordings_ / (number + "_sip-1.wav.sealed");
  auto writer = security::SealedRecordingWriter::Create(*keys, file.string(), number, {});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  const std::string pcm(2 * security::SealedRecordingWriter::kChunkBytes, '\x05');
  ASSERT_TRUE((*writer)->Append(pcm + "tail").ok());
  ASSERT_TRUE(service_->Link(number, CaseLink{"recording", file.string(), {}}, Actor{"system"}).ok());
  auto play = [&] {
    HttpRequest req;
    req.method = Method::kGet;
    req.method_name = "GET";
    req.path = "/api/v1/cases/" + number + "/recordings/1";
    req.request_id = "sealed";
    return sealed_router.Dispatch(req);
  };
  auto truncated = [](const HttpResponse& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "X-Gosline-Recording-Truncated") return value == "true";
    }
    return false;
  };
  // Mid-call, as after a crash: the two sealed seconds, marked.
  HttpResponse cut = play();
  ASSERT_EQ(cut.status, 200) << cut.body;
  EXPECT_EQ(cut.content_type, "audio/wav");
  EXPECT_EQ(cut.body, security::WavHeader({}, pcm.size()) + pcm);
  EXPECT_TRUE(truncated(cut));
  ASSERT_TRUE((*writer)->Finish().ok());
  HttpResponse whole = play();
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.body.substr(44), pcm + "tail");
  EXPECT_FALSE(truncated(whole));
  // Without the key it does not play, and says nothing of the audio.
  HttpResponse no_key = Call(Method::kGet, "/api/v1/cases/" + number + "/recordings/1", nullptr);
  EXPECT_EQ(no_key.status, 500);
  EXPECT_EQ(no_key.body.find("RIFF"), std::string::npos);
}

}  // namespace
}  // namespace gosline::http
