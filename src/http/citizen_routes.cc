#include "http/citizen_routes.h"

#include <nlohmann/json.hpp>

#include "core/cases/case_number.h"
#include "http/idempotent_post.h"
#include "http/json_codec.h"

namespace gosline::http {
namespace {

using nlohmann::json;
using Api = CitizenApi;

HttpResponse Unauthenticated(const std::string& message) {
  HttpResponse r = ErrorResponse(401, "unauthenticated", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return r;
}

HttpResponse TooMany(const std::string& what) {
  HttpResponse r = ErrorResponse(429, "rate_limited", "too many requests from this " + what + "; slow down");
  r.headers.emplace_back("Retry-After", "60");
  return r;
}

// Address limit, token, citizen limit; then the handler with the citizen.
HttpResponse AsCitizen(const Api& api, const HttpRequest& req,
                       const std::function<HttpResponse(const Citizen&)>& handle) {
  if (api.service == nullptr || !api.verifier) {
    return ErrorResponse(503, "unavailable", "the citizens' API is not configured on this line");
  }
  const Time now = api.clock->Now();
  if (api.limits && !api.limits->AllowAddress(req.remote_address, now)) return TooMany("address");
  std::optional<std::string_view> header = req.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || header->substr(0, kBearer.size()) != kBearer) {
    return Unauthenticated("send Authorization: Bearer <access token of the identity provider>");
  }
  Result<security::CitizenIdentity> who = api.verifier->Verify(header->substr(kBearer.size()), now);
  if (!who.ok()) {
    if (who.status().code() == Status::Code::kUnauthenticated) return Unauthenticated(who.status().message());
    return ErrorResponse(503, "unavailable", "cannot check access tokens now");
  }
  if (api.limits && !api.limits->AllowSubject(who->subject, now)) return TooMany("account");
  return handle(Citizen{who->subject, who->phone_number});
}

HttpResponse Post(const Api& api, const HttpRequest& req,
                  const std::function<HttpResponse(const Citizen&, const json&)>& handle) {
  return AsCitizen(api, req, [&](const Citizen& citizen) {
    return RunIdempotent(api.idempotency, *api.clock, CitizenService::AccountKey(citizen.subject), req,
                         [&]() -> HttpResponse {
                           auto content_type = req.Header("Content-Type");
                           if (!content_type || !IsJsonContentType(*content_type)) {
                             return ErrorResponse(415, "unsupported_media_type",
                                                  "Content-Type must be application/json");
                           }
                           Result<json> body = ParseJsonObject(req.body);
                           if (!body.ok()) return ErrorResponse(body.status());
                           return handle(citizen, *body);
                         });
  });
}

Result<std::string> Text(const json& body, const char* name, size_t max, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string(name) + " is required", name);
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string", name);
  std::string value = it->get<std::string>();
  if (value.size() > max) return Status::InvalidArgument(std::string(name) + " is too long", name);
  return value;
}

Result<std::optional<Time>> When(const json& body, const char* name) {
  GOSLINE_ASSIGN_OR_RETURN(std::string text, Text(body, name, 64, false));
  if (text.empty()) return std::optional<Time>();
  std::optional<Time> t = ParseIso8601(text);
  if (!t) return Status::InvalidArgument(std::string(name) + " must be an ISO 8601 time", name);
  return t;
}

std::string ActorKind(const std::string& actor) {
  if (actor.rfind("citizen:", 0) == 0) return "citizen";
  if (actor == "system" || actor == "ivr" || actor == "import") return "system";
  return "staff";
}

// What a citizen sees of a case: status and milestones, not the staff's
// notes or names (those are the line's working data).
json CitizenCaseJson(const Case& c, bool with_history) {
  json out = {{"number", c.number},
              {"status", ToString(c.status)},
              {"topic", c.topic},
              {"agency", c.agency},
              {"channel", ToString(c.channel)},
              {"summary", c.summary},
              {"created_at", FormatIso8601(c.created_at)},
              {"updated_at", FormatIso8601(c.updated_at)},
              {"reply_due_at", c.due_at ? json(FormatIso8601(*c.due_at)) : json(nullptr)}};
  if (with_history) {
    json history = json::array();
    for (const HistoryEntry& h : c.history) {
      if (h.action != "created" && h.action != "transition" && h.action != "escalated") continue;
      history.push_back({{"at", FormatIso8601(h.at)}, {"action", h.action}, {"by", ActorKind(h.actor)},
                         {"detail", h.action == "created" ? json(nullptr) : json(h.detail)}});
    }
    out["history"] = std::move(history);
  }
  return out;
}

bool TopicKnown(const Api& api, const std::string& topic) {
  std::shared_ptr<const Config> config = api.config ? api.config() : nullptr;
  return config && config->FindTopic(topic) != nullptr;
}

HttpResponse GetStatus(const Api& api, const HttpRequest& req) {
  return AsCitizen(api, req, [&](const Citizen&) {
    std::shared_ptr<const Config> config = api.config ? api.config() : nullptr;
    if (!config || api.waits == nullptr) return ErrorResponse(503, "unavailable", "no configuration");
    const json full = BuildPublicStatus(*config, api.clock->Now(), *api.waits);
    json topics = json::array();
    for (const json& t : full["topics"]) {
      topics.push_back({{"id", t["id"]}, {"names", t["names"]}, {"open", t["open"]},
                        {"next_open", t["next_open"]}, {"estimated_wait_seconds", t["estimated_wait_seconds"]}});
    }
    return JsonResponse(200, {{"open", full["open"]}, {"topics", std::move(topics)}});
  });
}

HttpResponse ListCases(const Api& api, const HttpRequest& req) {
  return AsCitizen(api, req, [&](const Citizen& citizen) {
    Result<std::vector<Case>> cases = api.service->OwnCases(citizen);
    if (!cases.ok()) return ErrorResponse(cases.status());
    json items = json::array();
    for (const Case& c : *cases) items.push_back(CitizenCaseJson(c, false));
    return JsonResponse(200, {{"items", std::move(items)}});
  });
}

HttpResponse GetCase(const Api& api, const HttpRequest& req) {
  return AsCitizen(api, req, [&](const Citizen& citizen) {
    const std::string raw = req.path_params.count("number") ? req.path_params.at("number") : "";
    std::optional<std::string> number = CaseNumber::Normalize(raw);
    if (!number) return ErrorResponse(404, "not_found", "no such case of yours");
    Result<Case> c = api.service->OwnCase(citizen, *number);
    if (!c.ok()) {
      if (c.status().code() == Status::Code::kNotFound) {
        return ErrorResponse(404, "not_found", "no such case of yours");
      }
      return ErrorResponse(c.status());
    }
    if (api.audit) api.audit(CitizenService::ActorFor(citizen).id, "citizen.case.read", "case:" + c->number);
    return JsonResponse(200, CitizenCaseJson(*c, true));
  });
}

HttpResponse RequestCallback(const Api& api, const HttpRequest& req) {
  return Post(api, req, [&](const Citizen& citizen, const json& body) -> HttpResponse {
    CallbackRequest r;
    Result<std::string> topic = Text(body, "topic", 64, true);
    if (!topic.ok()) return ErrorResponse(topic.status());
    if (!TopicKnown(api, *topic)) return ErrorResponse(400, "invalid_argument", "unknown topic", "topic");
    r.topic = *topic;
    Result<std::string> phone = Text(body, "phone", 32, false);
    if (!phone.ok()) return ErrorResponse(phone.status());
    r.phone = *phone;
    Result<std::optional<Time>> from = When(body, "window_from");
    if (!from.ok()) return ErrorResponse(from.status());
    Result<std::optional<Time>> to = When(body, "window_to");
    if (!to.ok()) return ErrorResponse(to.status());
    r.window_from = *from;
    r.window_to = *to;
    Result<Case> c = api.service->RequestCallback(citizen, r);
    if (!c.ok()) return ErrorResponse(c.status());
    HttpResponse resp = JsonResponse(201, CitizenCaseJson(*c, false));
    resp.headers.emplace_back("Location", std::string(kCitizenApiPrefix) + "cases/" + c->number);
    return resp;
  });
}

HttpResponse RecordConsent(const Api& api, const HttpRequest& req) {
  return Post(api, req, [&](const Citizen& citizen, const json& body) -> HttpResponse {
    Result<std::string> channel = Text(body, "channel", kMaxConsentText, true);
    if (!channel.ok()) return ErrorResponse(channel.status());
    auto granted = body.find("granted");
    if (granted == body.end() || !granted->is_boolean()) {
      return ErrorResponse(400, "invalid_argument", "granted must be true or false", "granted");
    }
    Result<Consent> c = api.service->RecordConsent(citizen, *channel, granted->get<bool>());
    if (!c.ok()) return ErrorResponse(c.status());
    return JsonResponse(201, {{"id", c->id}, {"channel", c->channel}, {"granted", c->granted},
                              {"recorded_at", FormatIso8601(c->recorded_at)}});
  });
}

HttpResponse OpenDataRequest(const Api& api, const HttpRequest& req) {
  return Post(api, req, [&](const Citizen& citizen, const json& body) -> HttpResponse {
    Result<std::string> kind_text = Text(body, "kind", 32, true);
    if (!kind_text.ok()) return ErrorResponse(kind_text.status());
    std::optional<DataRequestKind> kind = ParseDataRequestKind(*kind_text);
    if (!kind) return ErrorResponse(400, "invalid_argument", "kind: export, correction or deletion", "kind");
    Result<std::string> detail = Text(body, "detail", kMaxDataRequestDetail, false);
    if (!detail.ok()) return ErrorResponse(detail.status());
    Result<Case> c = api.service->OpenDataRequest(citizen, *kind, *detail);
    if (!c.ok()) return ErrorResponse(c.status());
    HttpResponse resp = JsonResponse(201, CitizenCaseJson(*c, false));
    resp.headers.emplace_back("Location", std::string(kCitizenApiPrefix) + "cases/" + c->number);
    return resp;
  });
}

HttpResponse CreateCallContext(const Api& api, const HttpRequest& req) {
  return Post(api, req, [&](const Citizen& citizen, const json& body) -> HttpResponse {
    Result<std::string> topic = Text(body, "topic", 64, false);
    if (!topic.ok()) return ErrorResponse(topic.status());
    if (!topic->empty() && !TopicKnown(api, *topic)) {
      return ErrorResponse(400, "invalid_argument", "unknown topic", "topic");
    }
    Result<std::string> number = Text(body, "case_number", 32, false);
    if (!number.ok()) return ErrorResponse(number.status());
    std::string case_number;
    if (!number->empty()) {
      std::optional<std::string> n = CaseNumber::Normalize(*number);
      if (!n) return ErrorResponse(404, "not_found", "no such case of yours");
      case_number = *n;
    }
    Result<CallContext> context = api.service->CreateCallContext(citizen, *topic, case_number);
    if (!context.ok()) {
      if (context.status().code() == Status::Code::kNotFound) {
        return ErrorResponse(404, "not_found", "no such case of yours");
      }
      return ErrorResponse(context.status());
    }
    return JsonResponse(201, {{"code", context->code}, {"topic", context->topic},
                              {"case_number", context->case_number.empty() ? json(nullptr) : json(context->case_number)},
                              {"expires_at", FormatIso8601(context->expires_at)}});
  });
}

const std::vector<std::string> kPostHeaders = {"Authorization", "Idempotency-Key"};

}  // namespace

Status AddCitizenRoutes(Router& router, std::shared_ptr<const CitizenApi> api) {
  auto bind = BindTo(std::move(api));
  const std::vector<int> read_errors = {401, 429, 503};
  const std::vector<int> post_errors = {400, 401, 403, 409, 415, 422, 429, 503};
  return AddRoutes(
      router,
      {{.method = Method::kGet, .pattern = "/api/v1/citizen/status", .role = Role::kPublic,
        .doc = {.operation_id = "citizenGetLineStatus",
                .summary = "Whether the line is open and the estimated wait per topic (R26)",
                .tag = "citizen", .response_schema = "CitizenLineStatus",
                .request_headers = {"Authorization"}, .errors = read_errors},
        .handler = bind(&GetStatus)},
       {.method = Method::kGet, .pattern = "/api/v1/citizen/cases", .role = Role::kPublic,
        .doc = {.operation_id = "citizenListCases",
                .summary = "The signed-in citizen's cases, open first (R14, R16)",
                .tag = "citizen", .response_schema = "CitizenCaseList",
                .request_headers = {"Authorization"}, .errors = read_errors},
        .handler = bind(&ListCases)},
       {.method = Method::kGet, .pattern = "/api/v1/citizen/cases/{number}", .role = Role::kPublic,
        .doc = {.operation_id = "citizenGetCase",
                .summary = "One of the citizen's cases with its status history (R16)",
                .tag = "citizen", .response_schema = "CitizenCase",
                .request_headers = {"Authorization"}, .errors = {401, 404, 429, 503}},
        .handler = bind(&GetCase)},
       {.method = Method::kPost, .pattern = "/api/v1/citizen/callbacks", .role = Role::kPublic,
        .doc = {.operation_id = "citizenRequestCallback",
                .summary = "Ask to be called back about a topic, in a time window (R26, R29)",
                .tag = "citizen", .request_schema = "CitizenCallbackRequest", .success_status = 201,
                .response_schema = "CitizenCase", .request_headers = kPostHeaders,
                .response_headers = {"Location", "Idempotent-Replayed"}, .errors = post_errors},
        .handler = bind(&RequestCallback)},
       {.method = Method::kPost, .pattern = "/api/v1/citizen/consents", .role = Role::kPublic,
        .doc = {.operation_id = "citizenRecordConsent",
                .summary = "Record the citizen's consent for a channel, for their verified phone (R24)",
                .tag = "citizen", .request_schema = "CitizenConsentInput", .success_status = 201,
                .response_schema = "CitizenConsent", .request_headers = kPostHeaders,
                .response_headers = {"Idempotent-Replayed"}, .errors = post_errors},
        .handler = bind(&RecordConsent)},
       {.method = Method::kPost, .pattern = "/api/v1/citizen/data-requests", .role = Role::kPublic,
        .doc = {.operation_id = "citizenOpenDataRequest",
                .summary = "Ask for one's data, its correction or its deletion (R24)",
                .tag = "citizen", .request_schema = "CitizenDataRequestInput", .success_status = 201,
                .response_schema = "CitizenCase", .request_headers = kPostHeaders,
                .response_headers = {"Location", "Idempotent-Replayed"}, .errors = post_errors},
        .handler = bind(&OpenDataRequest)},
       {.method = Method::kPost, .pattern = "/api/v1/citizen/call-contexts", .role = Role::kPublic,
        .doc = {.operation_id = "citizenCreateCallContext",
                .summary = "A 6-digit code, valid 10 minutes, that the IVR takes to skip its menus",
                .tag = "citizen", .request_schema = "CitizenCallContextInput", .success_status = 201,
                .response_schema = "CitizenCallContext", .request_headers = kPostHeaders,
                .response_headers = {"Idempotent-Replayed"}, .errors = {400, 401, 404, 409, 415, 422, 429, 503}},
        .handler = bind(&CreateCallContext)}});
}

void AddCitizenSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json time = {{"type", "string"}, {"format", "date-time"}};
  const json nullable_time = {{"type", "string"}, {"format", "date-time"}, {"nullable", true}};
  s["CitizenLineStatus"] = {
      {"type", "object"},
      {"required", {"open", "topics"}},
      {"properties",
       {{"open", {{"type", "boolean"}}},
        {"topics",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"id", str}, {"names", {{"type", "object"}}}, {"open", {{"type", "boolean"}}},
              {"next_open", nullable_time},
              {"estimated_wait_seconds", {{"type", "integer"}, {"nullable", true}}}}}}}}}}}};
  s["CitizenCase"] = {
      {"type", "object"},
      {"required", {"number", "status", "topic", "created_at"}},
      {"properties",
       {{"number", str}, {"status", str}, {"topic", str}, {"agency", str}, {"channel", str},
        {"summary", str}, {"created_at", time}, {"updated_at", time}, {"reply_due_at", nullable_time},
        {"history",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties", {{"at", time}, {"action", str}, {"by", {{"type", "string"}, {"enum", {"citizen", "staff", "system"}}}},
                            {"detail", {{"type", "string"}, {"nullable", true}}}}}}}}}}}};
  s["CitizenCaseList"] = {{"type", "object"},
                          {"required", {"items"}},
                          {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/CitizenCase"}}}}}}}};
  s["CitizenCallbackRequest"] = {
      {"type", "object"},
      {"required", {"topic"}},
      {"additionalProperties", false},
      {"properties",
       {{"topic", str},
        {"phone", {{"type", "string"}, {"description", "where to call; default: the verified phone"}}},
        {"window_from", time},
        {"window_to", time}}}};
  s["CitizenConsentInput"] = {{"type", "object"},
                              {"required", {"channel", "granted"}},
                              {"additionalProperties", false},
                              {"properties", {{"channel", str}, {"granted", {{"type", "boolean"}}}}}};
  s["CitizenConsent"] = {{"type", "object"},
                         {"properties", {{"id", {{"type", "integer"}}}, {"channel", str},
                                         {"granted", {{"type", "boolean"}}}, {"recorded_at", time}}}};
  s["CitizenDataRequestInput"] = {
      {"type", "object"},
      {"required", {"kind"}},
      {"additionalProperties", false},
      {"properties", {{"kind", {{"type", "string"}, {"enum", {"export", "correction", "deletion"}}}}, {"detail", str}}}};
  s["CitizenCallContextInput"] = {{"type", "object"},
                                  {"additionalProperties", false},
                                  {"properties", {{"topic", str}, {"case_number", str}}}};
  s["CitizenCallContext"] = {{"type", "object"},
                             {"required", {"code", "topic", "expires_at"}},
                             {"properties", {{"code", str}, {"topic", str},
                                             {"case_number", {{"type", "string"}, {"nullable", true}}},
                                             {"expires_at", time}}}};
}

}  // namespace gosline::http
