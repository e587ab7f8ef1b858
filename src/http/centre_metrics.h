// The contact centre's snapshot as Prometheus families: queue lengths and
// waits, operators by state, today's volumes and the service level. Gauges
// only: the centre's "today" figures restart at midnight, which a counter
// must never do.
#pragma once

#include "app/contact_centre/centre_snapshot.h"
#include "http/prometheus_text.h"

namespace gosline::http {

void WriteCentreMetrics(const contact_centre::CentreSnapshot& snapshot, PrometheusText& out);

}  // namespace gosline::http
