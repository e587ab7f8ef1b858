// Keeps the OpenAPI document true: every route is documented with its method
// and parameters, every documented operation is routed, every schema
// reference resolves (R26).
#include "http/openapi.h"

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "config/config_vocabulary.h"
#include "core/common/system_clock.h"
#include "http/api_routes.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::http {
namespace {

using nlohmann::json;

std::set<std::string> PatternParams(const std::string& pattern) {
  std::set<std::string> names;
  for (size_t pos = pattern.find('{'); pos != std::string::npos; pos = pattern.find('{', pos)) {
    size_t end = pattern.find('}', pos);
    names.insert(pattern.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return names;
}

std::set<std::string> ParamsIn(const json& op, const std::string& in) {
  std::set<std::string> names;
  for (const json& p : op.at("parameters")) {
    if (p.at("in") == in) names.insert(p.at("name").get<std::string>());
  }
  return names;
}

// "/api/v1/cases/{number}" -> "/api/v1/cases/x": a concrete path for the router.
std::string Concrete(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "x";
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

void CollectRefs(const json& j, std::vector<std::string>& refs) {
  if (j.is_object()) {
    for (const auto& item : j.items()) {
      if (item.key() == "$ref" && item.value().is_string()) {
        refs.push_back(item.value().get<std::string>());
      } else {
        CollectRefs(item.value(), refs);
      }
    }
  } else if (j.is_array()) {
    for (const json& e : j) CollectRefs(e, refs);
  }
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteCaseStore::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    config_.topics = {Topic{"other", {}, "", "", false, false}};
    vocabulary_ = std::make_unique<ConfigVocabulary>(config_);
    workflow_ = std::make_unique<CaseWorkflow>(*vocabulary_, calendar_);
    service_ = std::make_unique<CaseService>(*store_, *workflow_, clock_);
    ASSERT_TRUE(AddApiRoutes(router_, *service_, *store_, "9.9.9").ok());
    doc_ = BuildOpenApiDocument(router_, "9.9.9");
  }

  Config config_;
  BusinessCalendar calendar_;
  SystemClock clock_;
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<ConfigVocabulary> vocabulary_;
  std::unique_ptr<CaseWorkflow> workflow_;
  std::unique_ptr<CaseService> service_;
  Router router_;
  json doc_;
};

TEST_F(OpenApiTest, IsValidOpenApi3JsonDocument) {
  json reparsed = json::parse(doc_.dump());  // throws (fails the test) if not valid JSON
  std::string version = reparsed.at("openapi").get<std::string>();
  EXPECT_EQ(version.rfind("3.0.", 0), 0u) << version;
  EXPECT_EQ(reparsed.at("info").at("version"), "9.9.9");
  EXPECT_TRUE(reparsed.at("info").at("title").is_string());
  EXPECT_TRUE(reparsed.at("paths").is_object());
  EXPECT_TRUE(reparsed.at("components").at("schemas").is_object());
}

TEST_F(OpenApiTest, EveryRouteIsDocumentedWithMethodAndParameters) {
  ASSERT_GE(router_.routes().size(), 11u);
  std::set<std::string> operation_ids;
  for (const Route& route : router_.routes()) {
    std::string method(ToString(route.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    SCOPED_TRACE(method + " " + route.pattern);
    ASSERT_TRUE(doc_["paths"].contains(route.pattern));
    ASSERT_TRUE(doc_["paths"][route.pattern].contains(method));
    const json& op = doc_["paths"][route.pattern][method];

    EXPECT_EQ(op.at("operationId"), route.doc.operation_id);
    EXPECT_TRUE(operation_ids.insert(route.doc.operation_id).second) << "duplicate operationId";
    EXPECT_FALSE(op.at("summary").get<std::string>().empty());
    EXPECT_EQ(op.at("x-required-role"), std::string(ToString(route.role)));
    EXPECT_EQ(ParamsIn(op, "path"), PatternParams(route.pattern));
    std::set<std::string> query;
    for (const QueryParamDoc& q : route.doc.query) query.insert(q.name);
    EXPECT_EQ(ParamsIn(op, "query"), query);
    for (const std::string& h : route.doc.request_headers) EXPECT_TRUE(ParamsIn(op, "header").count(h));

    EXPECT_EQ(op.contains("requestBody"), !route.doc.request_schema.empty());
    const json& responses = op.at("responses");
    EXPECT_TRUE(responses.contains(std::to_string(route.doc.success_status)));
    for (int status : route.doc.errors) EXPECT_TRUE(responses.contains(std::to_string(status)));
    if (route.role != Role::kPublic) {
      EXPECT_TRUE(responses.contains("401"));
      EXPECT_TRUE(responses.contains("403"));
    }
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsRouted) {
  size_t operations = 0;
  for (const auto& [path, item] : doc_.at("paths").items()) {
    for (const auto& [method, op] : item.items()) {
      SCOPED_TRACE(method + " " + path);
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      RouteMatch m = router_.Match(ParseMethod(upper), Concrete(path));
      ASSERT_NE(m.route, nullptr);
      EXPECT_EQ(m.route->pattern, path);
      EXPECT_EQ(m.route->doc.operation_id, op.at("operationId"));
      ++operations;
    }
  }
  EXPECT_EQ(operations, router_.routes().size());
}

TEST_F(OpenApiTest, EverySchemaReferenceResolves) {
  std::vector<std::string> refs;
  CollectRefs(doc_, refs);
  ASSERT_FALSE(refs.empty());
  const std::string prefix = "#/components/schemas/";
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    EXPECT_TRUE(doc_["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
  }
}

TEST_F(OpenApiTest, CaseSchemaListsEveryFieldTheApiWrites) {
  const json& props = doc_["components"]["schemas"]["Case"]["properties"];
  for (const char* field : {"number", "phone", "portal_account_id", "channel", "topic", "agency",
                            "region", "priority", "status", "summary", "created_at", "updated_at",
                            "due_at", "version", "allowed_transitions", "history", "links"}) {
    EXPECT_TRUE(props.contains(field)) << field;
  }
}

TEST_F(OpenApiTest, ServedDocumentIsTheGeneratedOne) {
  HttpRequest req;
  req.method = Method::kGet;
  req.path = kOpenApiPath;
  HttpResponse res = router_.Dispatch(req);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(json::parse(res.body), doc_);
}

}  // namespace
}  // namespace gosline::http
