#include "http/request_metrics.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace gosline::http {

void RequestMetrics::Observe(std::string_view method, std::string_view route, int status,
                             double seconds) {
  const std::string route_label = route.empty() ? "unmatched" : std::string(route);
  const auto bucket =
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  MutexLock lock(mu_);
  ++requests_[{std::string(method), route_label, status}];
  Latency& l = latency_[{std::string(method), route_label}];
  if (bucket < static_cast<std::ptrdiff_t>(kBuckets.size())) ++l.buckets[bucket];
  ++l.count;
  l.sum += seconds;
}

void RequestMetrics::WriteTo(PrometheusText& out) const {
  MutexLock lock(mu_);
  out.Family("gosline_http_requests_total", PrometheusText::Type::kCounter,
             "HTTP requests answered, by method, route pattern and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out.Sample("gosline_http_requests_total",
               {{"method", method}, {"route", route}, {"status", std::to_string(status)}},
               static_cast<double>(count));
  }
  out.Family("gosline_http_request_duration_seconds", PrometheusText::Type::kHistogram,
             "Time from a parsed request to its response, by method and route pattern.");
  for (const auto& [key, l] : latency_) {
    const auto& [method, route] = key;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += l.buckets[i];
      out.Sample("gosline_http_request_duration_seconds_bucket",
                 {{"method", method}, {"route", route}, {"le", fmt::format("{}", kBuckets[i])}},
                 static_cast<double>(cumulative));
    }
    out.Sample("gosline_http_request_duration_seconds_bucket",
               {{"method", method}, {"route", route}, {"le", "+Inf"}},
               static_cast<double>(l.count));
    out.Sample("gosline_http_request_duration_seconds_sum", {{"method", method}, {"route", route}},
               l.sum);
    out.Sample("gosline_http_request_duration_seconds_count",
               {{"method", method}, {"route", route}}, static_cast<double>(l.count));
  }
}

}  // namespace gosline::http
