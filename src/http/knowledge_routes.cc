#include "http/knowledge_routes.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using knowledge::KnowledgeIndex;
using nlohmann::json;

constexpr size_t kMaxQueryBytes = 200;
constexpr size_t kDefaultLimit = 10;
constexpr size_t kMaxLimit = 50;

struct Context {
  std::shared_ptr<const KnowledgeIndex> index;
  std::set<std::string> topics;
};

HttpResponse NotLoaded() {
  return ErrorResponse(503, "unavailable", "the knowledge base is not loaded on this server");
}

// JSON text must be UTF-8; a query that is not cannot match anything anyway.
bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

// The search from the query string, or the 400 that says what is wrong.
Result<knowledge::KnowledgeQuery> QueryFrom(const HttpRequest& req, const Context& ctx) {
  knowledge::KnowledgeQuery q;
  q.limit = kDefaultLimit;
  std::set<std::string> seen;
  for (const auto& [name, value] : req.query) {
    if (name != "q" && name != "topic" && name != "limit") {
      return Status::InvalidArgument("unknown query parameter", name);
    }
    if (!seen.insert(name).second) return Status::InvalidArgument("given more than once", name);
    if (name == "q") {
      if (value.size() > kMaxQueryBytes) return Status::InvalidArgument("longer than 200 bytes", name);
      if (!IsUtf8(value)) return Status::InvalidArgument("not UTF-8 text", name);
      q.text = value;
    } else if (name == "topic") {
      if (!value.empty() && !ctx.topics.empty() && !ctx.topics.count(value)) {
        return Status::InvalidArgument("not a topic of this hotline", name);
      }
      if (!IsUtf8(value)) return Status::InvalidArgument("not UTF-8 text", name);
      q.topic = value;
    } else if (!value.empty()) {  // limit
      size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > kMaxLimit) {
        return Status::InvalidArgument("expected a whole number from 1 to 50", name);
      }
      q.limit = n;
    }
  }
  return q;
}

HttpResponse Search(const Context& ctx, const HttpRequest& req) {
  if (!ctx.index) return NotLoaded();
  Result<knowledge::KnowledgeQuery> q = QueryFrom(req, ctx);
  if (!q.ok()) return ErrorResponse(q.status());
  Result<std::vector<knowledge::KnowledgeHit>> hits = ctx.index->Search(*q);
  if (!hits.ok()) return ErrorResponse(hits.status());
  json items = json::array();
  for (const knowledge::KnowledgeHit& h : *hits) {
    items.push_back({{"id", h.id},
                     {"title", h.title},
                     {"topic", h.topic},
                     {"snippet", h.snippet},
                     {"score", h.score}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse GetArticle(const Context& ctx, const HttpRequest& req) {
  if (!ctx.index) return NotLoaded();
  auto it = req.path_params.find("id");
  const knowledge::KnowledgeArticle* a =
      it == req.path_params.end() ? nullptr : ctx.index->Find(it->second);
  if (a == nullptr) return ErrorResponse(404, "not_found", "no such article", "id");
  return JsonResponse(200, {{"id", a->id},
                            {"title", a->title},
                            {"title_en", a->title_en.empty() ? json(nullptr) : json(a->title_en)},
                            {"topic", a->topic},
                            {"tags", a->tags},
                            {"updated", a->updated},
                            {"body", a->body}});
}

}  // namespace

Status AddKnowledgeRoutes(Router& router, std::shared_ptr<const KnowledgeIndex> index,
                          std::set<std::string> topics) {
  auto ctx = std::make_shared<const Context>(Context{std::move(index), std::move(topics)});
  const std::string base = "/api/v1/knowledge";
  auto bind = BindTo(ctx);
  std::vector<Route> routes;
  routes.push_back(
      {Method::kGet, base, Role::kOperator,
       {.operation_id = "searchKnowledge",
        .summary = "Search the knowledge base (Russian stemming); without q, list the articles by title",
        .tag = "knowledge",
        .response_schema = "KnowledgeHitList",
        .query = {{.name = "q", .description = "Words to find; all of them first, else any (max 200 bytes)"},
                  {.name = "topic", .description = "Only articles of this topic id"},
                  {.name = "limit", .type = "integer", .format = "int32",
                   .description = "1-50, default 10"}},
        .errors = {400, 503}},
       bind(&Search)});
  routes.push_back({Method::kGet, base + "/{id}", Role::kOperator,
                     {.operation_id = "getKnowledgeArticle",
                      .summary = "One knowledge-base article with its Markdown text",
                      .tag = "knowledge",
                      .response_schema = "KnowledgeArticle",
                      .errors = {404, 503}},
                     bind(&GetArticle)});
  return AddRoutes(router, std::move(routes));
}

void AddKnowledgeSchemas(json& s) {
  const json str = {{"type", "string"}};
  s["KnowledgeHit"] = {
      {"type", "object"},
      {"required", {"id", "title", "topic", "snippet", "score"}},
      {"properties",
       {{"id", str},
        {"title", str},
        {"topic", str},
        {"snippet", {{"type", "string"},
                     {"description", "HTML-escaped text; the matched words in <mark>...</mark>"}}},
        {"score", {{"type", "number"}, {"description", "relevance; 0 in a listing without q"}}}}}};
  s["KnowledgeHitList"] = {
      {"type", "object"},
      {"required", {"items"}},
      {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/KnowledgeHit"}}}}}}}};
  s["KnowledgeArticle"] = {
      {"type", "object"},
      {"required", {"id", "title", "topic", "tags", "updated", "body"}},
      {"properties",
       {{"id", str},
        {"title", str},
        {"title_en", {{"type", "string"}, {"nullable", true}}},
        {"topic", str},
        {"tags", {{"type", "array"}, {"items", str}}},
        {"updated", {{"type", "string"}, {"format", "date"}}},
        {"body", {{"type", "string"}, {"description", "Markdown: headings, lists, paragraphs, bold"}}}}}};
}

}  // namespace gosline::http
