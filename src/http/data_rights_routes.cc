#include "http/data_rights_routes.h"

#include <nlohmann/json.hpp>

#include "core/cases/case_number.h"
#include "http/json_codec.h"

namespace gosline::http {
namespace {

using nlohmann::json;

HttpResponse Unavailable() {
  return ErrorResponse(503, "unavailable", "citizens' data rights are not configured");
}

Result<json> Body(const HttpRequest& req) {
  auto content_type = req.Header("Content-Type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return Status::InvalidArgument("Content-Type must be application/json", "Content-Type");
  }
  return ParseJsonObject(req.body);
}

// A string member; `max` bytes at most.
Result<std::string> Text(const json& body, const char* name, size_t max, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string(name) + " is required", name);
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string", name);
  std::string value = it->get<std::string>();
  if (value.size() > max) {
    return Status::InvalidArgument(std::string(name) + " is longer than " + std::to_string(max) +
                                       " bytes",
                                   name);
  }
  return value;
}

Actor ActorOf(const HttpRequest& req) {
  return Actor{req.principal.empty() ? std::string("anonymous") : req.principal};
}

Result<std::string> NumberOf(const HttpRequest& req) {
  auto it = req.path_params.find("number");
  if (it == req.path_params.end()) return Status::Internal("route without {number}");
  std::optional<std::string> number = CaseNumber::Normalize(it->second);
  if (!number) return Status::InvalidArgument("not a case number", "number");
  return *number;
}

json ConsentToJson(const Consent& c) {
  return {{"id", c.id},         {"phone", c.phone},   {"channel", c.channel},
          {"granted", c.granted}, {"source", c.source}, {"recorded_by", c.actor},
          {"recorded_at", FormatIso8601(c.recorded_at)}};
}

json CallToJson(const CallRecordRow& r) {
  json j = {{"call_id", r.call_id},     {"from", r.from},
            {"dialled", r.dialled},     {"started_at", FormatIso8601(r.started)},
            {"ended_at", FormatIso8601(r.ended)}, {"end_reason", r.end_reason},
            {"topic", r.topic},         {"queue", r.queue},
            {"case_number", r.case_number}};
  j["caller_e164"] = r.caller_e164 ? json(*r.caller_e164) : json(nullptr);
  return j;
}

HttpResponse RecordConsent(DataRightsService* service, const HttpRequest& req) {
  if (service == nullptr) return Unavailable();
  Result<json> body = Body(req);
  if (!body.ok()) {
    return body.status().field() == "Content-Type"
               ? ErrorResponse(415, "unsupported_media_type", body.status().message())
               : ErrorResponse(body.status());
  }
  Consent c;
  Result<std::string> phone = Text(*body, "phone", 64, true);
  if (!phone.ok()) return ErrorResponse(phone.status());
  Result<std::string> channel = Text(*body, "channel", kMaxConsentText, true);
  if (!channel.ok()) return ErrorResponse(channel.status());
  Result<std::string> source = Text(*body, "source", kMaxConsentText, true);
  if (!source.ok()) return ErrorResponse(source.status());
  auto granted = body->find("granted");
  if (granted == body->end() || !granted->is_boolean()) {
    return ErrorResponse(Status::InvalidArgument("granted must be true or false", "granted"));
  }
  c.phone = *phone;
  c.channel = *channel;
  c.source = *source;
  c.granted = granted->get<bool>();
  Result<Consent> stored = service->RecordConsent(std::move(c), ActorOf(req));
  if (!stored.ok()) return ErrorResponse(stored.status());
  return JsonResponse(201, ConsentToJson(*stored));
}

HttpResponse ListConsents(DataRightsService* service, const HttpRequest& req) {
  if (service == nullptr) return Unavailable();
  std::string phone;
  for (const auto& [name, value] : req.query) {
    if (name != "phone") return ErrorResponse(Status::InvalidArgument("unknown query parameter", name));
    phone = value;
  }
  if (phone.empty()) return ErrorResponse(Status::InvalidArgument("phone is required", "phone"));
  Result<std::vector<Consent>> all = service->Consents(phone, ActorOf(req));
  if (!all.ok()) return ErrorResponse(all.status());
  json items = json::array();
  for (const Consent& c : *all) items.push_back(ConsentToJson(c));
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse OpenRequest(DataRightsService* service, const HttpRequest& req) {
  if (service == nullptr) return Unavailable();
  Result<json> body = Body(req);
  if (!body.ok()) {
    return body.status().field() == "Content-Type"
               ? ErrorResponse(415, "unsupported_media_type", body.status().message())
               : ErrorResponse(body.status());
  }
  Result<std::string> kind = Text(*body, "kind", 32, true);
  if (!kind.ok()) return ErrorResponse(kind.status());
  std::optional<DataRequestKind> k = ParseDataRequestKind(*kind);
  if (!k) return ErrorResponse(Status::InvalidArgument("kind must be export, correction or deletion", "kind"));
  Result<std::string> phone = Text(*body, "phone", 64, true);
  if (!phone.ok()) return ErrorResponse(phone.status());
  Result<std::string> channel_text = Text(*body, "channel", 32, true);
  if (!channel_text.ok()) return ErrorResponse(channel_text.status());
  std::optional<Channel> channel = ParseChannel(*channel_text);
  if (!channel) return ErrorResponse(Status::InvalidArgument("unknown channel", "channel"));
  Result<std::string> detail = Text(*body, "detail", kMaxDataRequestDetail, false);
  if (!detail.ok()) return ErrorResponse(detail.status());
  Result<Case> c = service->OpenRequest({*k, *phone, *channel, *detail}, ActorOf(req));
  if (!c.ok()) return ErrorResponse(c.status());
  HttpResponse resp = JsonResponse(201, {{"number", c->number},
                                         {"kind", std::string(ToString(*k))},
                                         {"status", std::string(ToString(c->status))},
                                         {"channel", std::string(ToString(c->channel))},
                                         {"created_at", FormatIso8601(c->created_at)},
                                         {"confirmation_due_at", FormatIso8601(*c->due_at)}});
  resp.headers.emplace_back("Location", "/api/v1/cases/" + c->number);
  return resp;
}

HttpResponse Export(DataRightsService* service, const HttpRequest& req) {
  if (service == nullptr) return Unavailable();
  Result<std::string> number = NumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  Result<CitizenExport> e = service->Export(*number, ActorOf(req));
  if (!e.ok()) return ErrorResponse(e.status());
  json cases = json::array(), calls = json::array(), consents = json::array();
  for (const Case& c : e->cases) cases.push_back(CaseToJson(c));
  for (const CallRecordRow& r : e->calls) calls.push_back(CallToJson(r));
  for (const Consent& c : e->consents) consents.push_back(ConsentToJson(c));
  return JsonResponse(200, {{"request", *number},
                            {"phone", e->phone},
                            {"cases", std::move(cases)},
                            {"call_records", std::move(calls)},
                            {"consents", std::move(consents)}});
}

HttpResponse Delete(DataRightsService* service, const HttpRequest& req) {
  if (service == nullptr) return Unavailable();
  Result<std::string> number = NumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  Result<CitizenErasure> d = service->Delete(*number, ActorOf(req));
  if (!d.ok()) return ErrorResponse(d.status());
  return JsonResponse(200, {{"request", *number},
                            {"cases_erased", d->cases_erased},
                            {"open_cases_kept", d->cases_kept},
                            {"call_records_deleted", d->call_records_deleted},
                            {"consents_deleted", d->consents_deleted}});
}

}  // namespace

Status AddDataRightsRoutes(Router& router, DataRightsService* service) {
  auto bind = BindTo(service);
  std::vector<Route> routes;
  routes.push_back(
      {Method::kPost, "/api/v1/citizens/consents", Role::kOperator,
       {.operation_id = "recordConsent",
        .summary = "Record a citizen's consent (or its withdrawal) for a channel, with its source",
        .tag = "data-rights",
        .request_schema = "ConsentInput",
        .success_status = 201,
        .response_schema = "Consent",
        .errors = {400, 415, 503}},
       bind(&RecordConsent)});
  routes.push_back(
      {Method::kGet, "/api/v1/citizens/consents", Role::kOperator,
       {.operation_id = "listConsents",
        .summary = "Every consent decision recorded for a phone, oldest first",
        .tag = "data-rights",
        .response_schema = "ConsentList",
        .query = {{.name = "phone", .description = "The citizen's phone", .required = true}},
        .errors = {400, 503}},
       bind(&ListConsents)});
  routes.push_back(
      {Method::kPost, "/api/v1/data-requests", Role::kOperator,
       {.operation_id = "openDataRequest",
        .summary = "Open a citizen's export, correction or deletion request: a case (topic "
                   "data_request) whose confirmation is due within 5 business days",
        .tag = "data-rights",
        .request_schema = "DataRequestInput",
        .success_status = 201,
        .response_schema = "DataRequest",
        .response_headers = {"Location"},
        .errors = {400, 415, 503}},
       bind(&OpenRequest)});
  routes.push_back(
      {Method::kGet, "/api/v1/data-requests/{number}/export", Role::kComplianceController,
       {.operation_id = "exportCitizenData",
        .summary = "Run an export request: everything held about its phone (cases, call "
                   "records, consents); resolves the request",
        .tag = "data-rights",
        .response_schema = "CitizenExport",
        .errors = {400, 404, 409, 503}},
       bind(&Export)});
  routes.push_back(
      {Method::kPost, "/api/v1/data-requests/{number}/deletion", Role::kComplianceController,
       {.operation_id = "deleteCitizenData",
        .summary = "Run a deletion request: erase the personal data of the phone's cases that "
                   "are done, delete its call records and consents; resolves the request",
        .tag = "data-rights",
        .response_schema = "CitizenErasure",
        .errors = {400, 404, 409, 503}},
       bind(&Delete)});
  return AddRoutes(router, std::move(routes));
}

void AddDataRightsSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json time = {{"type", "string"}, {"format", "date-time"}};
  const json integer = {{"type", "integer"}};
  const json strings = {{"type", "array"}, {"items", str}};
  s["ConsentInput"] = {{"type", "object"},
                       {"required", {"phone", "channel", "granted", "source"}},
                       {"properties",
                        {{"phone", str}, {"channel", str}, {"granted", {{"type", "boolean"}}},
                         {"source", str}}}};
  s["Consent"] = {{"type", "object"},
                  {"required", {"id", "phone", "channel", "granted", "source", "recorded_at"}},
                  {"properties",
                   {{"id", integer}, {"phone", str}, {"channel", str},
                    {"granted", {{"type", "boolean"}}}, {"source", str}, {"recorded_by", str},
                    {"recorded_at", time}}}};
  s["ConsentList"] = {{"type", "object"},
                      {"required", {"items"}},
                      {"properties",
                       {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Consent"}}}}}}}};
  s["DataRequestInput"] = {
      {"type", "object"},
      {"required", {"kind", "phone", "channel"}},
      {"properties",
       {{"kind", {{"type", "string"}, {"enum", {"export", "correction", "deletion"}}}},
        {"phone", str},
        {"channel", str},
        {"detail", str}}}};
  s["DataRequest"] = {{"type", "object"},
                      {"required", {"number", "kind", "confirmation_due_at"}},
                      {"properties",
                       {{"number", str}, {"kind", str}, {"status", str}, {"channel", str},
                        {"created_at", time}, {"confirmation_due_at", time}}}};
  s["CitizenExport"] = {{"type", "object"},
                        {"required", {"request", "phone", "cases", "call_records", "consents"}},
                        {"properties",
                         {{"request", str},
                          {"phone", str},
                          {"cases", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                          {"call_records", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                          {"consents", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Consent"}}}}}}}};
  s["CitizenErasure"] = {{"type", "object"},
                         {"required", {"request", "cases_erased"}},
                         {"properties",
                          {{"request", str}, {"cases_erased", strings}, {"open_cases_kept", strings},
                           {"call_records_deleted", integer}, {"consents_deleted", integer}}}};
}

}  // namespace gosline::http
