#include "http/metrics_routes.h"

#include <utility>

namespace gosline::http {

Status AddMetricsRoute(Router& router, std::vector<MetricsWriter> writers) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kMetricsPath;
  route.role = Role::kSupervisor;
  route.scope = "metrics:read";
  route.doc = {.operation_id = "getMetrics",
               .summary = "The line's figures in the Prometheus text format: calls in media, "
                          "queues, operators by state, HTTP requests and latency, storage writes",
               .tag = "meta",
               .response_schema = "",
               .errors = {401, 403}};
  route.handler = [writers = std::move(writers)](const HttpRequest&) {
    PrometheusText page;
    for (const MetricsWriter& write : writers) write(page);
    HttpResponse response;
    response.content_type = std::string(kPrometheusContentType);
    response.headers.emplace_back("Cache-Control", "no-store");
    response.body = page.Take();
    return response;
  };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
