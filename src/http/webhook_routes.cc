#include "http/webhook_routes.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "app/webhook_events.h"
#include "http/http_client.h"
#include "http/json_codec.h"
#include "security/webhook_signature.h"

namespace gosline::http {
namespace {

using nlohmann::json;

HttpResponse Unavailable() { return ErrorResponse(503, "unavailable", "webhooks are not set up"); }

json SubscriptionJson(const WebhookSubscription& s, bool with_secret) {
  json out = {{"id", s.id},
              {"url", s.url},
              {"events", s.events},
              {"include_phone", s.include_phone},
              {"description", s.description},
              {"created_at", FormatIso8601(s.created_at)}};
  out["secret"] = with_secret ? s.secret : s.secret.substr(0, 10) + "...";
  return out;
}

json DeliveryJson(const WebhookDelivery& d) {
  return {{"id", d.id},
          {"message_id", d.message_id},
          {"subscription_id", d.subscription_id},
          {"event", d.event},
          {"state", ToString(d.state)},
          {"attempts", d.attempts},
          {"created_at", FormatIso8601(d.created_at)},
          {"next_attempt_at", FormatIso8601(d.next_attempt_at)},
          {"last_error", d.last_error}};
}

std::optional<int64_t> IdOf(const HttpRequest& req) {
  auto it = req.path_params.find("id");
  if (it == req.path_params.end()) return std::nullopt;
  int64_t id = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

// https, or http to this host (a relay beside the line, tests).
Status CheckUrl(const std::string& url) {
  if (url.size() > 2000) return Status::InvalidArgument("url is too long", "url");
  Result<ParsedUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "url");
  const bool loopback = parsed->host == "127.0.0.1" || parsed->host == "localhost" || parsed->host == "::1";
  if (!parsed->tls && !loopback) return Status::InvalidArgument("url must be https://", "url");
  return Status::Ok();
}

HttpResponse List(const WebhookAdmin& a, const HttpRequest&) {
  if (a.store == nullptr) return Unavailable();
  Result<std::vector<WebhookSubscription>> subs = a.store->Subscriptions();
  if (!subs.ok()) return ErrorResponse(subs.status());
  json items = json::array();
  for (const WebhookSubscription& s : *subs) items.push_back(SubscriptionJson(s, false));
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse Subscribe(const WebhookAdmin& a, const HttpRequest& req) {
  if (a.store == nullptr) return Unavailable();
  auto content_type = req.Header("Content-Type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return ErrorResponse(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  Result<json> body = ParseJsonObject(req.body);
  if (!body.ok()) return ErrorResponse(body.status());
  WebhookSubscription s;
  auto url = body->find("url");
  if (url == body->end() || !url->is_string()) return ErrorResponse(400, "invalid_argument", "url is required", "url");
  s.url = url->get<std::string>();
  if (Status st = CheckUrl(s.url); !st.ok()) return ErrorResponse(st);
  auto events = body->find("events");
  if (events == body->end() || !events->is_array() || events->empty()) {
    return ErrorResponse(400, "invalid_argument", "events: a non-empty list", "events");
  }
  const std::vector<std::string>& known = WebhookEventNames();
  for (const json& e : *events) {
    if (!e.is_string() || std::find(known.begin(), known.end(), e.get<std::string>()) == known.end()) {
      return ErrorResponse(400, "invalid_argument",
                           "events: case.created, case.status_changed, callback.scheduled, call.ended",
                           "events");
    }
    if (std::find(s.events.begin(), s.events.end(), e.get<std::string>()) == s.events.end()) {
      s.events.push_back(e.get<std::string>());
    }
  }
  if (auto phone = body->find("include_phone"); phone != body->end()) {
    if (!phone->is_boolean()) return ErrorResponse(400, "invalid_argument", "include_phone: true or false", "include_phone");
    s.include_phone = phone->get<bool>();
  }
  if (auto d = body->find("description"); d != body->end()) {
    if (!d->is_string() || d->get<std::string>().size() > 200) {
      return ErrorResponse(400, "invalid_argument", "description: text up to 200 bytes", "description");
    }
    s.description = d->get<std::string>();
  }
  s.secret = security::NewWebhookSecret();
  s.created_at = a.clock->Now();
  Result<WebhookSubscription> stored = a.store->AddSubscription(std::move(s));
  if (!stored.ok()) return ErrorResponse(stored.status());
  HttpResponse r = JsonResponse(201, SubscriptionJson(*stored, true));
  r.headers.emplace_back("Location", "/api/v1/webhooks/subscriptions/" + std::to_string(stored->id));
  return r;
}

HttpResponse Unsubscribe(const WebhookAdmin& a, const HttpRequest& req) {
  if (a.store == nullptr) return Unavailable();
  std::optional<int64_t> id = IdOf(req);
  if (!id) return ErrorResponse(404, "not_found", "no such subscription");
  Status st = a.store->RemoveSubscription(*id);
  if (!st.ok()) return ErrorResponse(st);
  HttpResponse r;
  r.status = 204;
  return r;
}

HttpResponse Deliveries(const WebhookAdmin& a, const HttpRequest& req) {
  if (a.store == nullptr) return Unavailable();
  DeliveryState state = DeliveryState::kDead;
  for (const auto& [name, value] : req.query) {
    if (name != "state") continue;
    if (value == "pending") {
      state = DeliveryState::kPending;
    } else if (value == "delivered") {
      state = DeliveryState::kDelivered;
    } else if (value != "dead") {
      return ErrorResponse(400, "invalid_argument", "state: dead, pending or delivered", "state");
    }
  }
  Result<std::vector<WebhookDelivery>> rows = a.store->Deliveries(state, 200);
  if (!rows.ok()) return ErrorResponse(rows.status());
  json items = json::array();
  for (const WebhookDelivery& d : *rows) items.push_back(DeliveryJson(d));
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse Replay(const WebhookAdmin& a, const HttpRequest& req) {
  if (a.store == nullptr) return Unavailable();
  std::optional<int64_t> id = IdOf(req);
  if (!id) return ErrorResponse(404, "not_found", "no such delivery");
  Status st = a.store->Replay(*id, a.clock->Now());
  if (!st.ok()) return ErrorResponse(st);
  if (a.wake) a.wake();
  return JsonResponse(202, {{"id", *id}, {"state", "pending"}});
}

}  // namespace

Status AddWebhookRoutes(Router& router, WebhookAdmin admin) {
  auto bind = BindTo(std::make_shared<const WebhookAdmin>(std::move(admin)));
  return AddRoutes(
      router,
      {{.method = Method::kGet, .pattern = "/api/v1/webhooks/subscriptions", .role = Role::kAdministrator,
        .doc = {.operation_id = "listWebhookSubscriptions", .summary = "Webhook subscriptions (R27)",
                .tag = "webhooks", .response_schema = "WebhookSubscriptionList", .errors = {401, 403, 503}},
        .handler = bind(&List)},
       {.method = Method::kPost, .pattern = "/api/v1/webhooks/subscriptions", .role = Role::kAdministrator,
        .doc = {.operation_id = "createWebhookSubscription",
                .summary = "Subscribe a URL to events; the signing secret is shown once (R27)",
                .tag = "webhooks", .request_schema = "WebhookSubscriptionInput", .success_status = 201,
                .response_schema = "WebhookSubscription", .response_headers = {"Location"},
                .errors = {400, 401, 403, 415, 503}},
        .handler = bind(&Subscribe)},
       {.method = Method::kDelete, .pattern = "/api/v1/webhooks/subscriptions/{id}", .role = Role::kAdministrator,
        .doc = {.operation_id = "deleteWebhookSubscription", .summary = "Unsubscribe (R27)",
                .tag = "webhooks", .success_status = 204, .errors = {401, 403, 404, 503}},
        .handler = bind(&Unsubscribe)},
       {.method = Method::kGet, .pattern = "/api/v1/webhooks/deliveries", .role = Role::kAdministrator,
        .doc = {.operation_id = "listWebhookDeliveries",
                .summary = "Deliveries by state: dead letters by default (R27)", .tag = "webhooks",
                .response_schema = "WebhookDeliveryList",
                .query = {{.name = "state", .description = "dead (default), pending or delivered",
                           .enum_values = {"dead", "pending", "delivered"}}},
                .errors = {400, 401, 403, 503}},
        .handler = bind(&Deliveries)},
       {.method = Method::kPost, .pattern = "/api/v1/webhooks/deliveries/{id}/replay", .role = Role::kAdministrator,
        .doc = {.operation_id = "replayWebhookDelivery", .summary = "Send a dead-lettered delivery again (R27)",
                .tag = "webhooks", .success_status = 202, .errors = {401, 403, 404, 503}},
        .handler = bind(&Replay)}});
}

void AddWebhookSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json time = {{"type", "string"}, {"format", "date-time"}};
  const json events = {{"type", "array"},
                       {"items", {{"type", "string"},
                                  {"enum", {"case.created", "case.status_changed", "callback.scheduled", "call.ended"}}}}};
  s["WebhookSubscriptionInput"] = {{"type", "object"},
                                   {"required", {"url", "events"}},
                                   {"additionalProperties", false},
                                   {"properties", {{"url", str}, {"events", events},
                                                   {"include_phone", {{"type", "boolean"}}},
                                                   {"description", str}}}};
  s["WebhookSubscription"] = {{"type", "object"},
                              {"properties", {{"id", {{"type", "integer"}}}, {"url", str}, {"events", events},
                                              {"include_phone", {{"type", "boolean"}}}, {"description", str},
                                              {"secret", str}, {"created_at", time}}}};
  s["WebhookSubscriptionList"] = {{"type", "object"},
                                  {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/WebhookSubscription"}}}}}}}};
  s["WebhookDelivery"] = {{"type", "object"},
                          {"properties", {{"id", {{"type", "integer"}}}, {"message_id", str},
                                          {"subscription_id", {{"type", "integer"}}}, {"event", str},
                                          {"state", {{"type", "string"}, {"enum", {"pending", "delivered", "dead"}}}},
                                          {"attempts", {{"type", "integer"}}}, {"created_at", time},
                                          {"next_attempt_at", time}, {"last_error", str}}}};
  s["WebhookDeliveryList"] = {{"type", "object"},
                              {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/WebhookDelivery"}}}}}}}};
}

}  // namespace gosline::http
