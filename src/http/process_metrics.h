// The standard process_* families every Prometheus client exports, read
// from /proc/self: memory, CPU, file descriptors and threads. A leak of any
// of them shows on a dashboard long before the node falls over.
#pragma once

#include "http/prometheus_text.h"

namespace gosline::http {

// Families whose /proc file cannot be read are left out.
void WriteProcessMetrics(PrometheusText& out);

}  // namespace gosline::http
