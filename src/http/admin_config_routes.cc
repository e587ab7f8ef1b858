#include "http/admin_config_routes.h"

#include <nlohmann/json.hpp>

#include "http/json_body.h"

namespace gosline::http {
namespace {

using admin::AreaEdit;
using admin::ConfigEditor;
using nlohmann::json;

HttpResponse NotRunning() {
  return ErrorResponse(503, "unavailable", "the configuration editor is not running");
}

std::string AreaOf(const HttpRequest& req) {
  auto it = req.path_params.find("area");
  return it == req.path_params.end() ? std::string() : it->second;
}

const char* ViewName(admin::AreaView v) { return v == admin::AreaView::kYaml ? "yaml" : "table"; }

json SnapshotJson(const admin::AreaSnapshot& s) {
  const admin::ConfigArea* area = admin::FindConfigArea(s.area);
  return {{"id", s.area},
          {"area", s.area},
          {"title", s.title},
          {"view", ViewName(area != nullptr ? area->view : admin::AreaView::kTable)},
          {"version", s.version},
          {"value", s.value},
          {"yaml", s.yaml}};
}

json ErrorsJson(const std::vector<admin::EditError>& errors) {
  json out = json::array();
  for (const admin::EditError& e : errors) {
    json j = {{"line", e.line}, {"column", e.column}, {"message", e.message}};
    if (e.area_line > 0) {
      j["area_line"] = e.area_line;
      j["area_column"] = e.area_column;
    }
    out.push_back(std::move(j));
  }
  return out;
}

// The edit in a body {value | yaml[, version]}, or the 400/415 that refuses it.
std::optional<HttpResponse> ReadEdit(const HttpRequest& req, bool with_version, AreaEdit& edit,
                                     std::string& version) {
  json body;
  if (auto refused = ReadJsonBody(req, body)) return refused;
  for (const auto& item : body.items()) {
    if (item.key() != "value" && item.key() != "yaml" && item.key() != "version") {
      return ErrorResponse(400, "invalid_argument", "unknown field", item.key());
    }
  }
  if (body.contains("value") == body.contains("yaml")) {
    return ErrorResponse(400, "invalid_argument", "give either value (JSON) or yaml (text)", "value");
  }
  if (body.contains("value")) edit.value = body["value"];
  if (body.contains("yaml")) {
    if (!body["yaml"].is_string()) return ErrorResponse(400, "invalid_argument", "expected a string", "yaml");
    edit.yaml = body["yaml"].get<std::string>();
  }
  if (with_version) {
    auto v = body.find("version");
    if (v == body.end() || !v->is_string()) {
      return ErrorResponse(400, "invalid_argument",
                           "required: the version the change was made against (from GET)", "version");
    }
    version = v->get<std::string>();
  }
  return std::nullopt;
}

HttpResponse ListAreas(ConfigEditor* editor, const HttpRequest&) {
  if (editor == nullptr) return NotRunning();
  json areas = json::array();
  for (const admin::AreaSnapshot& s : editor->ReadAll()) areas.push_back(SnapshotJson(s));
  return JsonResponse(200, {{"version", editor->Version()}, {"areas", std::move(areas)}});
}

HttpResponse GetArea(ConfigEditor* editor, const HttpRequest& req) {
  if (editor == nullptr) return NotRunning();
  Result<admin::AreaSnapshot> s = editor->Read(AreaOf(req));
  if (!s.ok()) return ErrorResponse(s.status());
  return JsonResponse(200, SnapshotJson(*s));
}

HttpResponse CheckArea(ConfigEditor* editor, const HttpRequest& req) {
  if (editor == nullptr) return NotRunning();
  AreaEdit edit;
  std::string unused;
  if (auto refused = ReadEdit(req, false, edit, unused)) return *refused;
  Result<admin::CheckOutcome> c = editor->Check(AreaOf(req), edit);
  if (!c.ok()) return ErrorResponse(c.status());
  return JsonResponse(200, {{"ok", c->ok()}, {"changed", c->changed}, {"errors", ErrorsJson(c->errors)}});
}

HttpResponse PutArea(ConfigEditor* editor, const HttpRequest& req) {
  if (editor == nullptr) return NotRunning();
  AreaEdit edit;
  std::string version;
  if (auto refused = ReadEdit(req, true, edit, version)) return *refused;
  const std::string actor = req.principal.empty() ? "anonymous" : req.principal;
  Result<admin::ApplyOutcome> r = editor->Apply(AreaOf(req), edit, version, actor);
  if (!r.ok()) return ErrorResponse(r.status());
  if (!r->ok()) {
    return JsonResponse(422, {{"error", {{"code", "invalid_config"},
                                         {"message", std::to_string(r->errors.size()) +
                                                         " problem(s); nothing was changed"}}},
                              {"errors", ErrorsJson(r->errors)}});
  }
  return JsonResponse(200, {{"area", AreaOf(req)},
                            {"version", r->version},
                            {"previous_version", r->previous_version},
                            {"changed", r->changed},
                            {"summary", r->summary}});
}

}  // namespace

Status AddAdminConfigRoutes(Router& router, ConfigEditor* editor) {
  auto bind = BindTo(editor);
  const std::string all = kAdminConfigPath;
  const std::string one = all + "/{area}";
  std::vector<Route> routes;
  routes.push_back({Method::kGet, all, Role::kAdministrator,
                    {.operation_id = "listConfigAreas",
                     .summary = "The editable parts of the configuration (numbers, hours, holidays, "
                                "queues, skills, overflow, IVR, block list) with the file's version",
                     .tag = "administration",
                     .response_schema = "ConfigAreaList",
                     .errors = {503}},
                    bind(&ListAreas)});
  routes.push_back({Method::kGet, one, Role::kAdministrator,
                    {.operation_id = "getConfigArea",
                     .summary = "One configuration area as JSON and as written in the file",
                     .tag = "administration",
                     .response_schema = "ConfigArea",
                     .errors = {404, 503}},
                    bind(&GetArea)});
  routes.push_back({Method::kPost, one + "/check", Role::kAdministrator,
                    {.operation_id = "checkConfigArea",
                     .summary = "Check a change as check-config would, without applying it",
                     .tag = "administration",
                     .request_schema = "ConfigEdit",
                     .response_schema = "ConfigCheck",
                     .errors = {400, 404, 413, 415, 503}},
                    bind(&CheckArea)});
  routes.push_back({Method::kPut, one, Role::kAdministrator,
                    {.operation_id = "putConfigArea",
                     .summary = "Apply a change without a restart: 409 when the version is stale, "
                                "422 with every problem when it is invalid",
                     .tag = "administration",
                     .request_schema = "ConfigEdit",
                     .response_schema = "ConfigChange",
                     .errors = {400, 404, 409, 413, 415, 422, 503}},
                    bind(&PutArea)});
  return AddRoutes(router, std::move(routes));
}

void AddAdminConfigSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json integer = {{"type", "integer"}};
  const json any = {{"description", "The area's value: a list or an object, as in the YAML file"}};
  s["ConfigArea"] = {{"type", "object"},
                     {"required", {"id", "title", "view", "version", "value", "yaml"}},
                     {"properties",
                      {{"id", str},
                       {"area", str},
                       {"title", str},
                       {"view", {{"type", "string"}, {"enum", {"table", "yaml"}}}},
                       {"version", {{"type", "string"}, {"description", "Version of the whole file"}}},
                       {"value", any},
                       {"yaml", {{"type", "string"}, {"description", "The area as written, comments kept"}}}}}};
  s["ConfigAreaList"] = {{"type", "object"},
                         {"required", {"version", "areas"}},
                         {"properties",
                          {{"version", str},
                           {"areas", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/ConfigArea"}}}}}}}};
  s["ConfigEdit"] = {{"type", "object"},
                     {"additionalProperties", false},
                     {"description", "exactly one of value, yaml; version for PUT"},
                     {"properties", {{"value", any}, {"yaml", str}, {"version", str}}}};
  s["ConfigError"] = {{"type", "object"},
                      {"required", {"line", "column", "message"}},
                      {"properties",
                       {{"line", {{"type", "integer"}, {"description", "In the file; 0 = not about a place"}}},
                        {"column", integer},
                        {"message", str},
                        {"area_line", {{"type", "integer"}, {"description", "In the submitted YAML text"}}},
                        {"area_column", integer}}}};
  const json errors = {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/ConfigError"}}}};
  s["ConfigCheck"] = {{"type", "object"},
                      {"required", {"ok", "changed", "errors"}},
                      {"properties", {{"ok", {{"type", "boolean"}}}, {"changed", {{"type", "boolean"}}},
                                      {"errors", errors}}}};
  s["ConfigChange"] = {{"type", "object"},
                       {"required", {"area", "version", "previous_version", "changed", "summary"}},
                       {"properties",
                        {{"area", str},
                         {"version", str},
                         {"previous_version", str},
                         {"changed", {{"type", "boolean"}}},
                         {"summary", str}}}};
}

}  // namespace gosline::http
