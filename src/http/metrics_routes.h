// GET /metrics: the line's figures in the Prometheus text format, for the
// operator's monitoring (Prometheus scrapes it; alerts and dashboards in
// deploy/prometheus and deploy/grafana).
//
// Who may read it: supervisors signed in, and API keys with the
// "metrics:read" scope (what a Prometheus server is given as a bearer
// token). The figures are counts and durations, no personal data; queue ids
// appear as labels.
#pragma once

#include <functional>
#include <vector>

#include "core/common/status.h"
#include "http/prometheus_text.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kMetricsPath = "/metrics";

// Each part of the server contributes its families through one writer; a
// writer must be safe to call from any HTTP thread while the server runs.
using MetricsWriter = std::function<void(PrometheusText&)>;

Status AddMetricsRoute(Router& router, std::vector<MetricsWriter> writers);

}  // namespace gosline::http
