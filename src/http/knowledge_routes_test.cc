// The knowledge-base routes over a real Xapian index: search with Russian
// stemming and a topic filter, a listing without words, one article, the 400s
// for bad parameters, 503 without an index, and the OpenAPI entries.
#include "http/knowledge_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/openapi.h"

namespace gosline::http {
namespace {

using nlohmann::json;

knowledge::KnowledgeArticle Article(std::string id, std::string title, std::string topic,
                                    std::string body) {
  knowledge::KnowledgeArticle a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.topic = std::move(topic);
  a.body = std::move(body);
  a.updated = "2026-11-20";
  return a;
}

class KnowledgeRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<knowledge::KnowledgeArticle> articles = {
        Article("account-registration", "Регистрация на Госуслугах", "registration",
                "## Шаги\n- телефон\n- **СНИЛС**\n"),
        Article("password-recovery", "Восстановление пароля", "registration",
                "Нажмите «Не помню пароль». Код из SMS никому не сообщайте."),
        Article("tax-debt", "Налоговая задолженность", "taxes", "Раздел «Налоги»."),
    };
    articles[1].title_en = "Password recovery";
    articles[1].tags = {"пароль", "вход"};
    auto index = knowledge::KnowledgeIndex::Build(std::move(articles));
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    ASSERT_TRUE(AddKnowledgeRoutes(router_, std::move(index).value(),
                                   {"registration", "taxes", "other"}).ok());
  }

  HttpResponse Get(const std::string& path, QueryParams query = {}) {
    return GetFrom(router_, path, std::move(query));
  }
  static HttpResponse GetFrom(Router& router, const std::string& path, QueryParams query = {}) {
    HttpRequest req;
    req.method = Method::kGet;
    req.method_name = "GET";
    req.path = path;
    req.query = std::move(query);
    return router.Dispatch(req);
  }
  static std::vector<std::string> Ids(const HttpResponse& r) {
    std::vector<std::string> ids;
    const json body = json::parse(r.body);  // kept: the loop must not range over a temporary
    for (const json& item : body.at("items")) ids.push_back(item.at("id"));
    return ids;
  }
  static std::string ErrorField(const HttpResponse& r) {
    return json::parse(r.body).at("error").value("field", "");
  }

  Router router_;
};

TEST_F(KnowledgeRoutesTest, SearchFindsOtherFormsOfTheWords) {
  HttpResponse r = Get("/api/v1/knowledge", {{"q", "регистрации"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  ASSERT_EQ(body.at("items").size(), 1u);
  const json& hit = body.at("items")[0];
  EXPECT_EQ(hit.at("id"), "account-registration");
  EXPECT_EQ(hit.at("title"), "Регистрация на Госуслугах");
  EXPECT_EQ(hit.at("topic"), "registration");
  EXPECT_GT(hit.at("score").get<double>(), 0);
  EXPECT_TRUE(hit.at("snippet").is_string());

  r = Get("/api/v1/knowledge", {{"q", "восстановить пароль"}, {"limit", "5"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Ids(r), std::vector<std::string>{"password-recovery"});
  EXPECT_NE(json::parse(r.body)["items"][0]["snippet"].get<std::string>().find("<mark>"), std::string::npos);
}

TEST_F(KnowledgeRoutesTest, TopicFiltersAndAnEmptyQueryLists) {
  EXPECT_TRUE(Ids(Get("/api/v1/knowledge", {{"q", "пароль"}, {"topic", "taxes"}})).empty());
  // No words: the topic's articles by title.
  EXPECT_EQ(Ids(Get("/api/v1/knowledge", {{"q", ""}, {"topic", "registration"}})),
            (std::vector<std::string>{"password-recovery", "account-registration"}));
  EXPECT_EQ(Ids(Get("/api/v1/knowledge", {{"topic", "taxes"}})), std::vector<std::string>{"tax-debt"});
  EXPECT_EQ(Ids(Get("/api/v1/knowledge")).size(), 3u);
  EXPECT_EQ(Ids(Get("/api/v1/knowledge", {{"limit", "2"}})).size(), 2u);
  // A topic of the hotline without articles: an empty list, not an error.
  HttpResponse r = Get("/api/v1/knowledge", {{"topic", "other"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Ids(r).empty());
}

TEST_F(KnowledgeRoutesTest, NonsenseAndMalformedQueriesAnswerEmpty) {
  for (const std::string q : {"фывапролджэ", "\"", "AND", "((", "NOT"}) {
    HttpResponse r = Get("/api/v1/knowledge", {{"q", q}});
    EXPECT_EQ(r.status, 200) << q << ": " << r.body;
    EXPECT_TRUE(Ids(r).empty()) << q << ": " << r.body;
  }
}

TEST_F(KnowledgeRoutesTest, BadParametersAre400WithTheField) {
  const std::vector<std::pair<QueryParams, std::string>> cases = {
      {{{"limit", "0"}}, "limit"},
      {{{"limit", "51"}}, "limit"},
      {{{"limit", "ten"}}, "limit"},
      {{{"limit", "5x"}}, "limit"},
      {{{"topic", "astrology"}}, "topic"},
      {{{"q", std::string(201, 'a')}}, "q"},
      {{{"q", "\xFF\xFE"}}, "q"},
      {{{"q", "a"}, {"q", "b"}}, "q"},
      {{{"sort", "title"}}, "sort"},
  };
  for (const auto& [query, field] : cases) {
    HttpResponse r = Get("/api/v1/knowledge", query);
    EXPECT_EQ(r.status, 400) << field << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(ErrorField(r), field) << r.body;
  }
}

TEST_F(KnowledgeRoutesTest, OneArticleWithItsMarkdown) {
  HttpResponse r = Get("/api/v1/knowledge/password-recovery");
  ASSERT_EQ(r.status, 200) << r.body;
  const json a = json::parse(r.body);
  EXPECT_EQ(a.at("id"), "password-recovery");
  EXPECT_EQ(a.at("title"), "Восстановление пароля");
  EXPECT_EQ(a.at("title_en"), "Password recovery");
  EXPECT_EQ(a.at("topic"), "registration");
  EXPECT_EQ(a.at("tags"), json({"пароль", "вход"}));
  EXPECT_EQ(a.at("updated"), "2026-11-20");
  EXPECT_EQ(a.at("body"), "Нажмите «Не помню пароль». Код из SMS никому не сообщайте.");
  EXPECT_TRUE(json::parse(Get("/api/v1/knowledge/tax-debt").body).at("title_en").is_null());

  r = Get("/api/v1/knowledge/no-such-article");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "not_found");
}

TEST_F(KnowledgeRoutesTest, WithoutAnIndexBothRoutesAnswer503) {
  Router bare;
  ASSERT_TRUE(AddKnowledgeRoutes(bare, nullptr, {}).ok());
  EXPECT_EQ(GetFrom(bare, "/api/v1/knowledge", {{"q", "пароль"}}).status, 503);
  EXPECT_EQ(GetFrom(bare, "/api/v1/knowledge/password-recovery").status, 503);
}

TEST_F(KnowledgeRoutesTest, DocumentedForOperatorsWithResolvableSchemas) {
  const json doc = BuildOpenApiDocument(router_, "9.9.9");
  const json& search = doc.at("paths").at("/api/v1/knowledge").at("get");
  EXPECT_EQ(search.at("operationId"), "searchKnowledge");
  EXPECT_EQ(search.at("x-required-role"), "operator");
  EXPECT_FALSE(search.contains("x-api-scope"));
  std::set<std::string> params;
  for (const json& p : search.at("parameters")) params.insert(p.at("name"));
  EXPECT_TRUE(params.count("q") && params.count("topic") && params.count("limit"));
  const json& one = doc.at("paths").at("/api/v1/knowledge/{id}").at("get");
  EXPECT_EQ(one.at("operationId"), "getKnowledgeArticle");
  EXPECT_EQ(one.at("x-required-role"), "operator");
  for (const char* schema : {"KnowledgeHit", "KnowledgeHitList", "KnowledgeArticle"}) {
    EXPECT_TRUE(doc.at("components").at("schemas").contains(schema)) << schema;
  }
}

}  // namespace
}  // namespace gosline::http
