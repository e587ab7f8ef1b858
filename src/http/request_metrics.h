// HTTP requests by route and status, with latency histograms, for /metrics
// (monitoring: slow or failing routes show before users complain).
//
// Labels are the route's pattern ("/api/v1/cases/{number}"), never the raw
// path, and "unmatched" for paths no route knows: a client must not be able
// to create series (and memory) by requesting made-up paths.
//
// Threads: Observe from every HTTP I/O thread, WriteTo from the /metrics
// handler (also an I/O thread); both under mu_. The critical sections are a
// map lookup and a few additions.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "core/common/thread_annotations.h"
#include "http/prometheus_text.h"

namespace gosline::http {

class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` empty: a path no route matched.
  void Observe(std::string_view method, std::string_view route, int status, double seconds)
      GOSLINE_EXCLUDES(mu_);

  // gosline_http_requests_total and gosline_http_request_duration_seconds.
  void WriteTo(PrometheusText& out) const GOSLINE_EXCLUDES(mu_);

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative here
    uint64_t count = 0;
    double sum = 0;
  };
  using Key = std::tuple<std::string, std::string, int>;  // method, route, status

  mutable Mutex mu_;
  std::map<Key, uint64_t> requests_ GOSLINE_GUARDED_BY(mu_);
  // By method and route only: a histogram per status would multiply series.
  std::map<std::pair<std::string, std::string>, Latency> latency_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::http
