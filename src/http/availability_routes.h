// The line's availability (R4: 99% a month), from the probes each node
// makes through the SIP front (telephony/line_prober.h):
//   GET /api/v1/reports/availability?month=2026-12
// per node and for the line, month in the line's local time (default: this
// month, so far). For supervisors and compliance; API keys need reports:read.
#pragma once

#include <chrono>

#include "core/common/clock.h"
#include "core/common/status.h"
#include "http/router.h"
#include "storage/probe_store.h"

namespace gosline::http {

inline constexpr const char* kAvailabilityPath = "/api/v1/reports/availability";

struct AvailabilitySource {
  ProbeStore* probes = nullptr;     // null: 503 (probing is off)
  const Clock* clock = nullptr;
  Duration probe_interval{std::chrono::minutes(1)};
  std::chrono::minutes utc_offset{180};
};

// What `source` points to must outlive the router.
Status AddAvailabilityRoutes(Router& router, AvailabilitySource source);

}  // namespace gosline::http
