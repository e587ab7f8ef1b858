#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/security/api_scope.h"
#include "http/access_policy.h"
#include "http/centre_metrics.h"
#include "http/line_metrics.h"
#include "http/metrics_routes.h"
#include "http/process_metrics.h"
#include "http/prometheus_text.h"
#include "http/request_metrics.h"
#include "http/router.h"

namespace gosline::http {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(PrometheusTextTest, WritesHelpTypeAndSamples) {
  PrometheusText t;
  t.Family("x_total", PrometheusText::Type::kCounter, "Things.\nMore");
  t.Sample("x_total", {{"queue", "a\"b\\c\nd"}}, 3);
  t.Sample("x_total", 0.25);
  t.Sample("x_total", {{"le", "+Inf"}}, std::numeric_limits<double>::infinity());
  EXPECT_EQ(t.text(),
            "# HELP x_total Things.\\nMore\n# TYPE x_total counter\n"
            "x_total{queue=\"a\\\"b\\\\c\\nd\"} 3\n"
            "x_total 0.25\n"
            "x_total{le=\"+Inf\"} +Inf\n");
}

TEST(RequestMetricsTest, CountsByRouteAndStatusWithCumulativeBuckets) {
  RequestMetrics m;
  m.Observe("GET", "/api/v1/cases/{number}", 200, 0.004);
  m.Observe("GET", "/api/v1/cases/{number}", 200, 0.2);
  m.Observe("GET", "/api/v1/cases/{number}", 404, 0.0005);
  m.Observe("GET", "", 404, 0.001);
  PrometheusText t;
  m.WriteTo(t);
  const std::string& s = t.text();
  EXPECT_TRUE(Has(s, "gosline_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{number}\","
                     "status=\"200\"} 2\n"));
  EXPECT_TRUE(Has(s, "gosline_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{number}\","
                     "status=\"404\"} 1\n"));
  // A made-up path is one series, whatever the path was.
  EXPECT_TRUE(Has(s, "gosline_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  // Buckets are cumulative: 0.0005 <= 0.001; 0.004 <= 0.005; 0.2 <= 0.25.
  const std::string b = "gosline_http_request_duration_seconds_bucket{method=\"GET\","
                        "route=\"/api/v1/cases/{number}\",";
  EXPECT_TRUE(Has(s, b + "le=\"0.001\"} 1\n"));
  EXPECT_TRUE(Has(s, b + "le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(Has(s, b + "le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Has(s, b + "le=\"0.1\"} 2\n"));
  EXPECT_TRUE(Has(s, b + "le=\"0.25\"} 3\n"));
  EXPECT_TRUE(Has(s, b + "le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Has(s, "gosline_http_request_duration_seconds_count{method=\"GET\","
                     "route=\"/api/v1/cases/{number}\"} 3\n"));
}

Route Plain(std::string pattern) {
  Route r;
  r.pattern = std::move(pattern);
  r.doc.operation_id = "op";
  r.handler = [](const HttpRequest&) { return JsonResponse(201, nlohmann::json::object()); };
  return r;
}

TEST(RouterObserverTest, SeesThePatternNotThePathAndTheFinalStatus) {
  Router router;
  ASSERT_TRUE(router.Add(Plain("/things/{id}")).ok());
  std::vector<std::tuple<std::string, int>> seen;
  router.SetRequestObserver([&](const HttpRequest&, std::string_view pattern, int status, double s) {
    EXPECT_GE(s, 0);
    seen.emplace_back(std::string(pattern), status);
  });
  HttpRequest a;
  a.path = "/things/42";
  EXPECT_EQ(router.Dispatch(a).status, 201);
  HttpRequest b;
  b.path = "/no/such/place";
  EXPECT_EQ(router.Dispatch(b).status, 404);
  HttpRequest c;
  c.method = Method::kDelete;
  c.path = "/things/42";
  EXPECT_EQ(router.Dispatch(c).status, 405);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_tuple(std::string("/things/{id}"), 201));
  EXPECT_EQ(seen[1], std::make_tuple(std::string(), 404));
  EXPECT_EQ(seen[2], std::make_tuple(std::string(), 405));
}

TEST(MetricsRouteTest, ServesTheWritersInTheTextFormatToMetricsKeysOnly) {
  Router router;
  ASSERT_TRUE(AddMetricsRoute(router, {[](PrometheusText& out) {
                                         out.Family("a", PrometheusText::Type::kGauge, "A.");
                                         out.Sample("a", 1);
                                       },
                                       [](PrometheusText& out) {
                                         out.Family("b", PrometheusText::Type::kGauge, "B.");
                                         out.Sample("b", 2);
                                       }})
                  .ok());
  HttpRequest req;
  req.path = kMetricsPath;
  HttpResponse r = router.Dispatch(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, kPrometheusContentType);
  EXPECT_EQ(r.body, "# HELP a A.\n# TYPE a gauge\na 1\n# HELP b B.\n# TYPE b gauge\nb 2\n");

  const Route* route = router.Match(Method::kGet, kMetricsPath).route;
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->role, Role::kSupervisor);
  auto metrics_key = security::ScopeSet::Parse("metrics:read");
  auto reports_key = security::ScopeSet::Parse("reports:read cases:read");
  ASSERT_TRUE(metrics_key.ok() && reports_key.ok());
  EXPECT_TRUE(ApiKeyMayUse(*metrics_key, *route));
  EXPECT_FALSE(ApiKeyMayUse(*reports_key, *route));
}

TEST(CentreMetricsTest, QueuesAndOperatorsByState) {
  contact_centre::CentreSnapshot s;
  contact_centre::QueueView q;
  q.id = "certificates";
  q.waiting = 3;
  q.longest_wait = std::chrono::milliseconds(42'500);
  q.ready = 2;
  q.on_call = 5;
  q.figures.offered_today = 10;
  q.figures.abandoned_today = 1;
  q.figures.service_level_window = 0.75;
  s.queues.push_back(q);
  contact_centre::QueueView idle;
  idle.id = "taxes";  // nobody logged in: no estimate, no service level yet
  s.queues.push_back(idle);
  for (const char* state : {"ready", "ready", "on_call", "logged_out"}) {
    contact_centre::OperatorView o;
    o.state = state;
    s.operators.push_back(o);
  }
  PrometheusText t;
  WriteCentreMetrics(s, t);
  const std::string& out = t.text();
  EXPECT_TRUE(Has(out, "gosline_queue_waiting_calls{queue=\"certificates\"} 3\n"));
  EXPECT_TRUE(Has(out, "gosline_queue_waiting_calls{queue=\"taxes\"} 0\n"));
  EXPECT_TRUE(Has(out, "gosline_queue_longest_wait_seconds{queue=\"certificates\"} 42.5\n"));
  EXPECT_FALSE(Has(out, "gosline_queue_estimated_wait_seconds{"));
  EXPECT_TRUE(Has(out, "gosline_queue_operators{queue=\"certificates\",state=\"on_call\"} 5\n"));
  EXPECT_TRUE(Has(out, "gosline_queue_calls_today{queue=\"certificates\",outcome=\"abandoned\"} 1\n"));
  EXPECT_TRUE(Has(out, "gosline_queue_service_level_ratio{queue=\"certificates\"} 0.75\n"));
  EXPECT_FALSE(Has(out, "gosline_queue_service_level_ratio{queue=\"taxes\"}"));
  EXPECT_TRUE(Has(out, "gosline_operators{state=\"ready\"} 2\n"));
  EXPECT_TRUE(Has(out, "gosline_operators{state=\"wrap_up\"} 0\n"));
}

TEST(LineMetricsTest, LeavesOutWhatIsNotRunning) {
  PrometheusText t;
  WriteLineMetrics({.audit_appends = 7, .audit_groups = 2}, t);
  EXPECT_TRUE(Has(t.text(), "gosline_audit_appends_total 7\n"));
  EXPECT_FALSE(Has(t.text(), "gosline_calls_in_media"));
}

TEST(ProcessMetricsTest, ReadsThisProcess) {
  PrometheusText t;
  WriteProcessMetrics(t);
  const std::string& s = t.text();
  for (const char* family : {"process_resident_memory_bytes ", "process_open_fds ",
                             "process_threads ", "process_cpu_seconds_total ",
                             "process_start_time_seconds ", "process_max_fds "}) {
    const auto at = s.find(std::string("\n") + family);
    ASSERT_NE(at, std::string::npos) << family;
    EXPECT_GT(std::stod(s.substr(at + 1 + std::string(family).size())), 0) << family;
  }
}

}  // namespace
}  // namespace gosline::http
