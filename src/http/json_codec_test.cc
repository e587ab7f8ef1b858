#include "http/json_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using nlohmann::json;

json Obj(std::string_view text) {
  Result<json> r = ParseJsonObject(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : json();
}

void ExpectField(const Status& st, const std::string& field) {
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  EXPECT_EQ(st.field(), field) << st.ToString();
}

TEST(ParseJsonObjectTest, RefusesWhatIsNotOneJsonObject) {
  for (std::string_view bad : {"", "{", "{\"a\":}", "[1,2]", "\"text\"", "42", "{} {}", "nul",
                               "{\"a\":1,}", "{'a':1}"}) {
    Result<json> r = ParseJsonObject(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ParseJsonObject(R"({"a":[1,{"b":null}]})").ok());
}

TEST(ParseJsonObjectTest, RefusesInvalidUtf8) {
  EXPECT_FALSE(ParseJsonObject("{\"summary\":\"\xff\xfe\"}").ok());
}

TEST(ParseJsonObjectTest, RefusesDuplicateKeysNamingThem) {
  ExpectField(ParseJsonObject(R"({"phone":"1","topic":"x","phone":"2"})").status(), "phone");
  // The same key in different objects is fine.
  EXPECT_TRUE(ParseJsonObject(R"({"a":{"k":1},"b":{"k":2}})").ok());
}

// Found by fuzz/json_codec_fuzzer: nlohmann throws out_of_range, not
// parse_error, for a number beyond a double, and it escaped the codec.
TEST(ParseJsonObjectTest, RefusesNumbersBeyondADouble) {
  Result<nlohmann::json> r = ParseJsonObject(R"({"version":1e400})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(ParseJsonObject(R"({"version":1e300})").ok());
}

TEST(ParseJsonObjectTest, RefusesDeepNesting) {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(ParseJsonObject(deep).ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJsonObject("{\"a\":\"" + std::string(100, '[') + "\\\"\"}").ok());
}

TEST(CaseDraftFromJsonTest, ReadsEveryField) {
  Result<CaseDraft> d = CaseDraftFromJson(Obj(R"({
      "phone": "+7 916 123-45-67", "portal_account_id": "acc-1", "channel": "chat",
      "topic": "taxes", "agency": "fns", "region": "77", "priority": "high",
      "summary": "где справка"})"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->phone, "+7 916 123-45-67");
  EXPECT_EQ(d->portal_account_id, "acc-1");
  EXPECT_EQ(d->channel, Channel::kChat);
  EXPECT_EQ(d->topic, "taxes");
  EXPECT_EQ(d->agency, "fns");
  EXPECT_EQ(d->region, "77");
  EXPECT_EQ(d->priority, Priority::kHigh);
  EXPECT_EQ(d->summary, "где справка");
}

TEST(CaseDraftFromJsonTest, DefaultsAndNullPortal) {
  Result<CaseDraft> d =
      CaseDraftFromJson(Obj(R"({"phone":"89161234567","topic":"other","portal_account_id":null})"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->channel, Channel::kCall);
  EXPECT_EQ(d->priority, Priority::kNormal);
  EXPECT_FALSE(d->portal_account_id.has_value());
}

TEST(CaseDraftFromJsonTest, NamesTheWrongField) {
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":79161234567,"topic":"x"})")).status(), "phone");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1","topic":["x"]})")).status(), "topic");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1","topic":"x","summary":null})")).status(),
              "summary");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1","topic":"x","channel":"fax"})")).status(),
              "channel");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1","topic":"x","priority":1})")).status(),
              "priority");
  ExpectField(CaseDraftFromJson(Obj(R"({"topic":"x"})")).status(), "phone");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1"})")).status(), "topic");
  ExpectField(CaseDraftFromJson(Obj(R"({"phone":"1","topic":"x","status":"closed"})")).status(),
              "status");
}

TEST(PatchRequestFromJsonTest, ReadsChangesAndVersion) {
  Result<PatchRequest> p =
      PatchRequestFromJson(Obj(R"({"priority":"urgent","summary":"s","version":3})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->patch.priority, Priority::kUrgent);
  EXPECT_EQ(p->patch.summary, "s");
  EXPECT_FALSE(p->patch.topic.has_value());
  EXPECT_EQ(p->version, 3);
}

TEST(PatchRequestFromJsonTest, NullPortalAccountClearsIt) {
  Result<PatchRequest> p = PatchRequestFromJson(Obj(R"({"portal_account_id":null})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->patch.portal_account_id, "");
}

TEST(PatchRequestFromJsonTest, RefusesEmptyUnknownAndBadVersion) {
  EXPECT_FALSE(PatchRequestFromJson(Obj("{}")).ok());
  EXPECT_FALSE(PatchRequestFromJson(Obj(R"({"version":2})")).ok());
  ExpectField(PatchRequestFromJson(Obj(R"({"phone":"1"})")).status(), "phone");
  ExpectField(PatchRequestFromJson(Obj(R"({"summary":"s","version":"2"})")).status(), "version");
  ExpectField(PatchRequestFromJson(Obj(R"({"summary":"s","version":1.5})")).status(), "version");
  ExpectField(PatchRequestFromJson(Obj(R"({"summary":"s","version":-1})")).status(), "version");
}

TEST(TransitionRequestFromJsonTest, ReadsTargetReasonVersion) {
  Result<TransitionRequest> t =
      TransitionRequestFromJson(Obj(R"({"to":"in_progress","reason":"called back","version":1})"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->to, CaseStatus::kInProgress);
  EXPECT_EQ(t->reason, "called back");
  EXPECT_EQ(t->version, 1);
  ExpectField(TransitionRequestFromJson(Obj(R"({"to":"flying"})")).status(), "to");
  ExpectField(TransitionRequestFromJson(Obj(R"({"reason":"x"})")).status(), "to");
  ExpectField(TransitionRequestFromJson(Obj(R"({"to":"closed","why":"x"})")).status(), "why");
}

TEST(NoteAndLinkFromJsonTest, ReadStrictly) {
  EXPECT_EQ(NoteTextFromJson(Obj(R"({"text":"перезвонить"})")).value(), "перезвонить");
  ExpectField(NoteTextFromJson(Obj(R"({"text":5})")).status(), "text");
  ExpectField(NoteTextFromJson(Obj(R"({})")).status(), "text");
  Result<CaseLink> l = CaseLinkFromJson(Obj(R"({"kind":"call","ref":"c-1"})"));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->kind, "call");
  EXPECT_EQ(l->ref, "c-1");
  ExpectField(CaseLinkFromJson(Obj(R"({"kind":"call"})")).status(), "ref");
}

TEST(IsJsonContentTypeTest, AcceptsParametersAndCase) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(CaseToJsonTest, WritesEveryFieldWithIsoTimes) {
  Case c;
  c.number = "0000000011";
  c.phone = "+79161234567";
  c.channel = Channel::kApp;
  c.topic = "taxes";
  c.agency = "fns";
  c.region = "77";
  c.priority = Priority::kLow;
  c.status = CaseStatus::kNew;
  c.summary = "s";
  c.created_at = FromUnixMillis(1'764'063'000'000);
  c.updated_at = c.created_at;
  c.version = 2;
  c.history.push_back({1, c.created_at, "op1", "created", "new case"});
  c.links.push_back({"call", "call-7", c.created_at});

  json j = CaseToJson(c);
  EXPECT_EQ(j["number"], "0000000011");
  EXPECT_EQ(j["channel"], "app");
  EXPECT_EQ(j["priority"], "low");
  EXPECT_EQ(j["status"], "new");
  EXPECT_TRUE(j["portal_account_id"].is_null());
  EXPECT_TRUE(j["due_at"].is_null());
  EXPECT_EQ(j["created_at"], FormatIso8601(c.created_at));
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["history"][0]["actor"], "op1");
  EXPECT_EQ(j["history"][0]["at"], FormatIso8601(c.created_at));
  EXPECT_EQ(j["links"][0]["ref"], "call-7");
  EXPECT_FALSE(j["allowed_transitions"].empty());
  EXPECT_FALSE(j.contains("id"));  // the storage key stays inside

  json summary = CaseSummaryToJson(c);
  EXPECT_FALSE(summary.contains("history"));
  EXPECT_EQ(summary["number"], "0000000011");
}

}  // namespace
}  // namespace gosline::http
