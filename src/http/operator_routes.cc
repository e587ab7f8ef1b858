#include "http/operator_routes.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/case_visibility.h"
#include "http/centre_snapshot_json.h"
#include "http/json_body.h"
#include "http/json_codec.h"

namespace gosline::http {
namespace {

using contact_centre::ContactCentre;
using nlohmann::json;

HttpResponse NotRunning() {
  return ErrorResponse(503, "unavailable", "the contact centre is not running");
}

std::string PathParam(const HttpRequest& req, const std::string& name) {
  auto it = req.path_params.find(name);
  return it == req.path_params.end() ? std::string() : it->second;
}

// An operator acts only on themself; supervisors (and callers without
// sign-in, when authentication is off) on anyone.
// The staff login of the caller: principals are "user:<login>" (API keys "key:...").
std::string LoginOf(const HttpRequest& req) {
  constexpr std::string_view kUser = "user:";
  if (req.principal.rfind(kUser, 0) != 0) return "";
  return req.principal.substr(kUser.size());
}

bool MayActFor(const HttpRequest& req, const std::string& operator_id) {
  return req.principal_role != "operator" || LoginOf(req) == operator_id;
}

HttpResponse NotSelf() {
  return ErrorResponse(403, "permission_denied", "an operator may act only on themself");
}

// R20: only roles that talk to citizens see their phone numbers in full.
bool SeesPhones(const HttpRequest& req) {
  return req.principal_role == "operator" || req.principal_role == "supervisor";
}

// A string member, or the 400 that says what is wrong with it.
std::optional<HttpResponse> StringField(const json& body, const char* name, bool required,
                                        std::string& out) {
  auto it = body.find(name);
  if (it == body.end()) {
    if (!required) return std::nullopt;
    return ErrorResponse(400, "invalid_argument", "required", name);
  }
  if (!it->is_string()) return ErrorResponse(400, "invalid_argument", "expected a string", name);
  out = it->get<std::string>();
  if (out.size() > 200) return ErrorResponse(400, "invalid_argument", "longer than 200 bytes", name);
  return std::nullopt;
}

std::optional<HttpResponse> OnlyFields(const json& body, std::initializer_list<const char*> known) {
  for (const auto& item : body.items()) {
    bool ok = false;
    for (const char* k : known) ok |= item.key() == k;
    if (!ok) return ErrorResponse(400, "invalid_argument", "unknown field", item.key());
  }
  return std::nullopt;
}

HttpResponse OperatorResponse(ContactCentre& centre, const std::string& id) {
  Result<contact_centre::OperatorView> v = centre.Operator(id);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(200, ToJson(*v));
}

HttpResponse ListOperators(ContactCentre* centre, const HttpRequest&) {
  if (centre == nullptr) return NotRunning();
  contact_centre::CentreSnapshot s = centre->Snapshot();
  json items = json::array();
  for (const contact_centre::OperatorView& o : s.operators) items.push_back(ToJson(o));
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse GetOperator(ContactCentre* centre, const HttpRequest& req) {
  if (centre == nullptr) return NotRunning();
  const std::string id = PathParam(req, "id");
  if (!MayActFor(req, id)) return NotSelf();
  return OperatorResponse(*centre, id);
}

HttpResponse SetState(ContactCentre* centre, const HttpRequest& req) {
  if (centre == nullptr) return NotRunning();
  const std::string id = PathParam(req, "id");
  if (!MayActFor(req, id)) return NotSelf();
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  if (auto refused = OnlyFields(body, {"state", "reason"})) return *refused;
  std::string state, reason;
  if (auto refused = StringField(body, "state", true, state)) return *refused;
  if (auto refused = StringField(body, "reason", false, reason)) return *refused;
  Status st = centre->SetOperatorState(id, state, reason);
  if (!st.ok()) return ErrorResponse(st);
  return OperatorResponse(*centre, id);
}

HttpResponse GetCall(ContactCentre* centre, const RegionNameOf& region_name,
                     const HttpRequest& req) {
  if (centre == nullptr) return NotRunning();
  const std::string id = PathParam(req, "id");
  if (!MayActFor(req, id)) return NotSelf();
  Result<contact_centre::ScreenPop> pop = centre->ScreenPopOf(id);
  if (!pop.ok()) return ErrorResponse(pop.status());
  json collected = json::object();
  for (const auto& [k, v] : pop->collected) collected[k] = v;
  return JsonResponse(200, {{"call", std::to_string(pop->call)},
                            {"state", pop->state},
                            {"caller", SeesPhones(req) ? pop->caller : MaskPhone(pop->caller)},
                            {"region", pop->region},
                            {"region_name", region_name ? region_name(pop->region) : std::string()},
                            {"language", pop->language},
                            {"ivr_path", pop->ivr_path},
                            {"topic", pop->topic},
                            {"queue", pop->queue},
                            {"case_number", pop->case_number},
                            {"earlier_cases", pop->earlier_cases},
                            {"collected", std::move(collected)}});
}

HttpResponse Transfer(ContactCentre* centre, const HttpRequest& req) {
  if (centre == nullptr) return NotRunning();
  const std::string raw = PathParam(req, "id");
  uint64_t call = 0;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), call);
  if (ec != std::errc() || end != raw.data() + raw.size()) {
    return ErrorResponse(400, "invalid_argument", "expected a call number", "id");
  }
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  if (auto refused = OnlyFields(body, {"queue", "operator"})) return *refused;
  contact_centre::TransferTarget target;
  if (auto refused = StringField(body, "queue", false, target.queue)) return *refused;
  if (auto refused = StringField(body, "operator", false, target.operator_id)) return *refused;
  if (req.principal_role == "operator") {  // only the call they are on
    Result<contact_centre::ScreenPop> own = centre->ScreenPopOf(LoginOf(req));
    if (!own.ok() || own->call != call) {
      return ErrorResponse(403, "permission_denied", "an operator may transfer only their own call");
    }
  }
  Status st = centre->Transfer(call, target);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, {{"call", raw},
                            {"queue", target.queue.empty() ? json(nullptr) : json(target.queue)},
                            {"operator", target.operator_id.empty() ? json(nullptr) : json(target.operator_id)}});
}

}  // namespace

Status AddOperatorRoutes(Router& router, ContactCentre* centre, RegionNameOf region_name) {
  auto bind = BindTo(centre);
  const std::string ops = "/api/v1/operators";
  const std::string one = ops + "/{id}";
  std::vector<Route> routes;
  routes.push_back({Method::kGet, ops, Role::kSupervisor,
                    {.operation_id = "listOperators",
                     .summary = "Operators with their state, reason, since when and call",
                     .tag = "contact-centre",
                     .response_schema = "OperatorList",
                     .errors = {503}},
                    bind(&ListOperators)});
  routes.push_back({Method::kGet, one, Role::kOperator,
                    {.operation_id = "getOperator",
                     .summary = "One operator (an operator: only themself)",
                     .tag = "contact-centre",
                     .response_schema = "Operator",
                     .errors = {404, 503}},
                    bind(&GetOperator)});
  routes.push_back({Method::kPost, one + "/state", Role::kOperator,
                    {.operation_id = "setOperatorState",
                     .summary = "Go ready, not ready (with a reason), ask for more wrap-up after a call, or log out; 409 for a state that does not follow",
                     .tag = "contact-centre",
                     .request_schema = "OperatorStateRequest",
                     .response_schema = "Operator",
                     .errors = {400, 404, 409, 413, 415, 503}},
                    bind(&SetState)});
  routes.push_back({Method::kGet, one + "/call", Role::kOperator,
                    {.operation_id = "getOperatorCall",
                     .summary = "Screen pop of the operator's current call (404: none)",
                     .tag = "contact-centre",
                     .response_schema = "ScreenPop",
                     .errors = {404, 503}},
                    [centre, region_name](const HttpRequest& req) {
                      return GetCall(centre, region_name, req);
                    }});
  routes.push_back({Method::kPost, "/api/v1/calls/{id}/transfer", Role::kOperator,
                    {.operation_id = "transferCall",
                     .summary = "Transfer a call to a queue or an operator, keeping its case and IVR data",
                     .tag = "contact-centre",
                     .request_schema = "TransferRequest",
                     .response_schema = "TransferResult",
                     .errors = {400, 404, 409, 413, 415, 503}},
                    bind(&Transfer)});
  return AddRoutes(router, std::move(routes));
}

void AddContactCentreSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json nullable_str = {{"type", "string"}, {"nullable", true}};
  const json integer = {{"type", "integer"}};
  const json nullable_int = {{"type", "integer"}, {"nullable", true}};
  const json nullable_num = {{"type", "number"}, {"nullable", true}};
  const json states = {{"type", "string"},
                       {"enum", {"logged_out", "ready", "ringing", "on_call", "wrap_up", "not_ready"}}};
  s["Operator"] = {{"type", "object"},
                   {"required", {"id", "state"}},
                   {"properties",
                    {{"id", str},
                     {"name", str},
                     {"centre", str},
                     {"skills", {{"type", "object"}, {"additionalProperties", integer}}},
                     {"languages", {{"type", "array"}, {"items", str}}},
                     {"state", states},
                     {"reason", str},
                     {"since", {{"type", "string"}, {"format", "date-time"}}},
                     {"call", nullable_str}}}};
  s["OperatorList"] = {{"type", "object"},
                       {"required", {"items"}},
                       {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Operator"}}}}}}}};
  s["OperatorStateRequest"] = {
      {"type", "object"},
      {"required", {"state"}},
      {"additionalProperties", false},
      {"properties",
       {{"state", {{"type", "string"}, {"enum", {"ready", "not_ready", "wrap_up", "logged_out"}}}},
        {"reason", {{"type", "string"}, {"description", "not ready reason: lunch, training, ..."}}}}}};
  s["ScreenPop"] = {{"type", "object"},
                    {"properties",
                     {{"call", str},
                      {"state", {{"type", "string"}, {"enum", {"ringing", "on_call"}}}},
                      {"caller", {{"type", "string"}, {"description", "masked +7 916 ***-**-67 (as in the case routes) for roles that may not see phones"}}},
                      {"region", str},
                      {"region_name", {{"type", "string"}, {"description", "the region's name; empty when unknown"}}},
                      {"language", str},
                      {"ivr_path", str},
                      {"topic", str},
                      {"queue", str},
                      {"case_number", str},
                      {"earlier_cases", {{"type", "array"}, {"items", str}}},
                      {"collected", {{"type", "object"}, {"additionalProperties", str}}}}}};
  s["TransferRequest"] = {{"type", "object"},
                          {"additionalProperties", false},
                          {"description", "exactly one of queue, operator"},
                          {"properties", {{"queue", str}, {"operator", str}}}};
  s["TransferResult"] = {{"type", "object"},
                         {"properties", {{"call", str}, {"queue", nullable_str}, {"operator", nullable_str}}}};
  const json period = {{"type", "object"},
                       {"properties",
                        {{"offered", integer},
                         {"answered", integer},
                         {"answered_in_service_level", integer},
                         {"abandoned", integer},
                         {"service_level", nullable_num},
                         {"average_wait_seconds", nullable_int},
                         {"median_wait_seconds", nullable_int},
                         {"average_talk_seconds", nullable_int}}}};
  s["Queue"] = {{"type", "object"},
                {"required", {"id", "waiting"}},
                {"properties",
                 {{"id", str},
                  {"topic", str},
                  {"centre", str},
                  {"waiting", integer},
                  {"longest_wait_seconds", integer},
                  {"estimated_wait_seconds", nullable_int},
                  {"operators",
                   {{"type", "object"},
                    {"properties",
                     {{"logged_in", integer}, {"ready", integer}, {"on_call", integer},
                      {"wrap_up", integer}, {"not_ready", integer}}}}},
                  {"statistics", {{"type", "object"}, {"properties", {{"window", period}, {"today", period}}}}}}}};
  s["QueueList"] = {{"type", "object"},
                    {"required", {"items"}},
                    {"properties",
                     {{"at", {{"type", "string"}, {"format", "date-time"}}},
                      {"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Queue"}}}}}}}};
}

}  // namespace gosline::http
