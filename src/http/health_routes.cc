#include "http/health_routes.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace gosline::http {

Status AddHealthRoutes(Router& router, CaseStore& store, DrainingCheck draining) {
  Route healthz;
  healthz.method = Method::kGet;
  healthz.pattern = "/healthz";
  healthz.role = Role::kPublic;
  healthz.doc = {.operation_id = "getHealth",
                 .summary = "Liveness: the process is running",
                 .tag = "health",
                 .response_schema = "Health"};
  healthz.handler = [](const HttpRequest&) {
    return JsonResponse(200, nlohmann::json{{"status", "ok"}});
  };

  Route readyz;
  readyz.method = Method::kGet;
  readyz.pattern = "/readyz";
  readyz.role = Role::kPublic;
  readyz.doc = {.operation_id = "getReadiness",
                .summary = "Readiness: storage answers and the node is not draining; 503 otherwise",
                .tag = "health",
                .response_schema = "Health",
                .errors = {503}};
  readyz.handler = [&store, draining = std::move(draining)](const HttpRequest& req) {
    if (draining && draining()) {
      HttpResponse r = ErrorResponse(503, "draining", "this node is draining: use another node");
      r.headers.emplace_back("Retry-After", "30");
      return r;
    }
    Status ping = store.Ping();
    if (!ping.ok()) {
      spdlog::warn("http: readiness check failed: {} (request {})", ping.ToString(),
                   req.request_id);
      return ErrorResponse(503, "unavailable", "storage is not available");
    }
    return JsonResponse(200, nlohmann::json{{"status", "ready"}});
  };
  std::vector<Route> routes;
  routes.push_back(std::move(healthz));
  routes.push_back(std::move(readyz));
  return AddRoutes(router, std::move(routes));
}

}  // namespace gosline::http
