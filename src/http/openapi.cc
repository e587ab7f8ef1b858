#include "http/citizen_routes.h"
#include "http/webhook_routes.h"
#include "http/openapi.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "http/admin_config_routes.h"
#include "http/data_rights_routes.h"
#include "http/interval_report_routes.h"
#include "http/knowledge_routes.h"
#include "http/operator_routes.h"
#include "http/public_status_routes.h"
#include "http/user_routes.h"

namespace gosline::http {
namespace {

using nlohmann::json;

json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }
json String() { return {{"type", "string"}}; }
json NullableString() { return {{"type", "string"}, {"nullable", true}}; }
json DateTime() { return {{"type", "string"}, {"format", "date-time"}}; }
json Enum(std::initializer_list<const char*> values) {
  json e = json::array();
  for (const char* v : values) e.push_back(v);
  return {{"type", "string"}, {"enum", std::move(e)}};
}
json Object(json properties, std::initializer_list<const char*> required, bool closed) {
  json o = {{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size() > 0) o["required"] = json(std::vector<std::string>(required.begin(), required.end()));
  if (closed) o["additionalProperties"] = false;
  return o;
}

json ChannelSchema() { return Enum({"call", "chat", "app", "callback"}); }
json PrioritySchema() { return Enum({"low", "normal", "high", "urgent"}); }
json StatusSchema() {
  return Enum({"new", "in_progress", "escalated", "waiting_citizen", "resolved", "closed"});
}

json CaseSummaryProperties() {
  return {
      {"number", {{"type", "string"}, {"pattern", "^[0-9]{10}$"},
                  {"description", "10 digits, the last a Damm check digit"}}},
      {"phone", {{"type", "string"}, {"description", "E.164"}}},
      {"portal_account_id", NullableString()},
      {"channel", ChannelSchema()},
      {"topic", String()},
      {"agency", String()},
      {"region", String()},
      {"priority", PrioritySchema()},
      {"status", StatusSchema()},
      {"summary", String()},
      {"created_at", DateTime()},
      {"updated_at", DateTime()},
      {"due_at", {{"type", "string"}, {"format", "date-time"}, {"nullable", true},
                  {"description", "Reply due (set while escalated)"}}},
      {"version", {{"type", "integer"}, {"format", "int64"}}},
  };
}

json BuildSchemas() {
  json s;
  s["Error"] = Object(
      {{"error", Object({{"code", String()},
                         {"message", String()},
                         {"field", {{"type", "string"},
                                    {"description", "The input that was wrong, when known"}}}},
                        {"code", "message"}, false)}},
      {"error"}, false);
  s["Health"] = Object({{"status", String()}}, {"status"}, false);
  s["HistoryEntry"] = Object({{"seq", {{"type", "integer"}, {"format", "int64"}}},
                              {"at", DateTime()},
                              {"actor", String()},
                              {"action", String()},
                              {"detail", String()}},
                             {"seq", "at", "actor", "action", "detail"}, false);
  s["CaseLink"] = Object({{"kind", String()}, {"ref", String()}, {"at", DateTime()}},
                         {"kind", "ref", "at"}, false);

  const json summary_properties = CaseSummaryProperties();
  json summary_required = json::array();
  for (const auto& item : summary_properties.items()) summary_required.push_back(item.key());
  json summary = Object(summary_properties, {}, false);
  summary["required"] = summary_required;
  s["CaseSummary"] = summary;

  json full = CaseSummaryProperties();
  full["allowed_transitions"] = {{"type", "array"}, {"items", StatusSchema()}};
  full["history"] = {{"type", "array"}, {"items", Ref("HistoryEntry")}};
  full["links"] = {{"type", "array"}, {"items", Ref("CaseLink")}};
  json full_required = summary_required;
  for (const char* k : {"allowed_transitions", "history", "links"}) full_required.push_back(k);
  json case_schema = Object(std::move(full), {}, false);
  case_schema["required"] = std::move(full_required);
  s["Case"] = std::move(case_schema);

  s["CaseCreate"] = Object({{"phone", {{"type", "string"},
                                       {"description", "Any common form; stored as E.164"}}},
                            {"portal_account_id", NullableString()},
                            {"channel", ChannelSchema()},
                            {"topic", String()},
                            {"agency", String()},
                            {"region", String()},
                            {"priority", PrioritySchema()},
                            {"summary", String()}},
                           {"phone", "topic"}, true);
  json patch = Object({{"topic", String()},
                       {"agency", String()},
                       {"region", String()},
                       {"priority", PrioritySchema()},
                       {"summary", String()},
                       {"portal_account_id", {{"type", "string"}, {"nullable", true},
                                              {"description", "null or \"\" unlinks the account"}}},
                       {"version", {{"type", "integer"}, {"format", "int64"},
                                    {"description", "Expected version (like If-Match)"}}}},
                      {}, true);
  patch["minProperties"] = 1;
  s["CasePatch"] = std::move(patch);
  s["TransitionRequest"] = Object({{"to", StatusSchema()},
                                   {"reason", String()},
                                   {"version", {{"type", "integer"}, {"format", "int64"}}}},
                                  {"to"}, true);
  s["NoteRequest"] = Object({{"text", String()}}, {"text"}, true);
  s["LinkRequest"] = Object({{"kind", {{"type", "string"},
                                       {"description",
                                        "call, chat or case (recordings: only the contact centre)"}}},
                             {"ref", String()}},
                            {"kind", "ref"}, true);
  s["CasePage"] = Object({{"items", {{"type", "array"}, {"items", Ref("CaseSummary")}}},
                          {"next_cursor", NullableString()}},
                         {"items", "next_cursor"}, false);
  s["HistoryPage"] = Object({{"number", String()},
                             {"items", {{"type", "array"}, {"items", Ref("HistoryEntry")}}}},
                            {"number", "items"}, false);
  s["OpenApiDocument"] = {{"type", "object"}, {"description", "This document"}};
  s["LoginRequest"] = Object({{"login", String()},
                              {"password", String()},
                              {"totp", {{"type", "string"}, {"description", "6-digit TOTP code"}}},
                              {"recovery_code", {{"type", "string"},
                                                 {"description", "One-time code instead of totp"}}}},
                             {"login", "password"}, true);
  s["Principal"] = Object({{"kind", Enum({"user", "api_key"})},
                           {"name", String()},
                           {"display_name", String()},
                           {"role", String()},
                           {"scopes", {{"type", "array"}, {"items", String()}}},
                           {"session_expires_at", DateTime()},
                           {"setup_required",
                            {{"type", "array"},
                             {"items", Enum({"password", "totp"})},
                             {"description",
                              "first sign-in steps left; until none, only these auth routes work"}}}},
                          {"kind", "name", "role"}, false);
  s["LoginResponse"] = Object({{"token", String()},
                               {"token_type", Enum({"Bearer"})},
                               {"user", Ref("Principal")}},
                              {"token", "token_type", "user"}, false);
  s["TotpEnrolment"] = Object({{"otpauth_uri", String()},
                               {"qr_svg", {{"type", "string"}, {"description", "SVG image"}}}},
                              {"otpauth_uri", "qr_svg"}, false);
  s["TotpConfirm"] = Object({{"totp", String()}}, {"totp"}, true);
  s["TotpReenrol"] = Object({{"password", String()},
                             {"totp", {{"type", "string"},
                                       {"description", "a code from the current authenticator"}}}},
                            {}, true);
  s["TotpConfirmed"] = Object(
      {{"recovery_codes", {{"type", "array"},
                           {"items", String()},
                           {"description", "a first enrolment's one-time codes; else empty"}}}},
      {"recovery_codes"}, false);
  s["PasswordChange"] = Object({{"current_password", String()}, {"new_password", String()}},
                               {"current_password", "new_password"}, true);
  AddContactCentreSchemas(s);  // operators, queues
  AddDataRightsSchemas(s);     // consents, data requests (R24)
  AddAdminConfigSchemas(s);    // configuration editor
  AddKnowledgeSchemas(s);      // knowledge-base search
  AddUserSchemas(s);           // staff accounts
  AddPublicStatusSchemas(s);   // public status page (R3)
  AddIntervalReportSchemas(s);  // historical reports by interval (R18)
  AddCitizenSchemas(s);        // citizens' API (R26)
  AddWebhookSchemas(s);        // webhooks (R27)
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// {name} segments of a route pattern, in order.
std::vector<std::string> PathParamNames(const std::string& pattern) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    size_t end = pattern.find('}', pos);
    names.push_back(pattern.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return names;
}

json PathParameter(const std::string& name) {
  json p = {{"name", name}, {"in", "path"}, {"required", true}, {"schema", String()}};
  if (name == "number") {
    p["description"] = "Case number: 10 digits with a check digit; spaces and dashes are ignored";
  }
  return p;
}

json HeaderParameter(const std::string& name) {
  json p = {{"name", name}, {"in", "header"}, {"required", false}, {"schema", String()}};
  if (name == "If-Match") p["description"] = "Expected case version, as in the ETag: \"3\"";
  if (name == "X-Gosline-Actor") p["description"] = "Who acts (until authentication exists)";
  return p;
}

json QueryParameter(const QueryParamDoc& q) {
  json schema = {{"type", q.type}};
  if (!q.format.empty()) schema["format"] = q.format;
  if (!q.enum_values.empty()) schema["enum"] = q.enum_values;
  json p = {{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", schema}};
  if (!q.description.empty()) p["description"] = q.description;
  return p;
}

json ErrorResponseDoc(int status) {
  const char* what = "Error";
  switch (status) {
    case 400: what = "Invalid input; error.field names it"; break;
    case 401: what = "Not authenticated"; break;
    case 403: what = "The caller's role may not do this"; break;
    case 404: what = "No such case"; break;
    case 409: what = "Stale version or a transition not allowed from the current status"; break;
    case 413: what = "Body larger than the configured limit"; break;
    case 415: what = "Content-Type is not application/json"; break;
    case 429: what = "Too many failed logins: locked out for a while"; break;
    case 500: what = "Internal error"; break;
    case 503: what = "Not ready or overloaded"; break;
  }
  return {{"description", what},
          {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
}

json Operation(const Route& route) {
  const RouteDoc& d = route.doc;
  json op = {{"operationId", d.operation_id},
             {"summary", d.summary},
             {"x-required-role", ToString(route.role)}};
  if (!route.scope.empty()) op["x-api-scope"] = route.scope;
  if (route.role != Role::kPublic) {
    op["security"] = json::array({{{"bearerAuth", json::array()}}, {{"cookieAuth", json::array()}}});
  }
  if (!d.tag.empty()) op["tags"] = json::array({d.tag});

  json params = json::array();
  for (const std::string& name : PathParamNames(route.pattern)) params.push_back(PathParameter(name));
  for (const QueryParamDoc& q : d.query) params.push_back(QueryParameter(q));
  for (const std::string& h : d.request_headers) params.push_back(HeaderParameter(h));
  params.push_back(HeaderParameter("X-Request-Id"));
  op["parameters"] = std::move(params);

  if (!d.request_schema.empty()) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", Ref(d.request_schema)}}}}}};
  }
  json ok = {{"description", d.summary}};
  if (!d.response_schema.empty()) {
    ok["content"] = {{"application/json", {{"schema", Ref(d.response_schema)}}}};
  }
  json headers = {{"X-Request-Id", {{"schema", String()}}}};
  for (const std::string& h : d.response_headers) headers[h] = {{"schema", String()}};
  ok["headers"] = std::move(headers);

  json responses = {{std::to_string(d.success_status), std::move(ok)}};
  std::vector<int> errors = d.errors;
  if (route.role != Role::kPublic) {
    errors.push_back(401);
    errors.push_back(403);
  }
  errors.push_back(500);
  std::sort(errors.begin(), errors.end());
  errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
  for (int status : errors) responses[std::to_string(status)] = ErrorResponseDoc(status);
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

const json& OpenApiSchemas() {
  static const json kSchemas = BuildSchemas();
  return kSchemas;
}

json BuildOpenApiDocument(const Router& router, const std::string& version) {
  json paths = json::object();
  for (const Route& route : router.routes()) {
    paths[route.pattern][Lower(ToString(route.method))] = Operation(route);
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "gosline contact-centre API"},
        {"version", version},
        {"description",
         "The single case registry of the hotline (R14-R17). Errors are "
         "{\"error\":{\"code\",\"message\",\"field\"}}. Every route names the role it needs "
         "(x-required-role) and the API-key scope that opens it (x-api-scope)."}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", OpenApiSchemas()},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"},
                          {"scheme", "bearer"},
                          {"description", "A session token from login, or an API key gsk_..."}}},
          {"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gosline_session"}}}}}}},
  };
}

Status AddOpenApiRoute(Router& router, const std::string& version) {
  struct Cache {
    std::once_flag once;
    std::string body;
  };
  auto cache = std::make_shared<Cache>();
  Route route;
  route.method = Method::kGet;
  route.pattern = kOpenApiPath;
  route.role = Role::kPublic;
  route.doc = {.operation_id = "getOpenApi",
               .summary = "This OpenAPI document",
               .tag = "meta",
               .response_schema = "OpenApiDocument"};
  route.handler = [&router, cache, version](const HttpRequest&) {
    std::call_once(cache->once, [&] { cache->body = BuildOpenApiDocument(router, version).dump(); });
    HttpResponse r;
    r.body = cache->body;
    return r;
  };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
