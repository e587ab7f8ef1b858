// The planner's staffing calculator (R13, R18):
//   GET /api/v1/planning/staffing?calls=&interval_minutes=&handle_seconds=
//       &patience_seconds=&service_level=&within_seconds=&max_occupancy=&max_abandon_rate=
// answers how many operators an interval needs for a target, by Erlang C
// and, when a patience is given, by Erlang A (core/planning/erlang.h), with
// the figures each count gives.
//   GET /api/v1/planning/forecast?topic=&days=&weeks=&service_level=&within_seconds=
// forecasts calls per 15 minutes for the coming days from the call records
// (core/planning/forecast.h), with its error on the last held-out week, and
// the operators each interval needs by Erlang A with the handle time and
// patience measured in the same history.
// For supervisors; API keys need reports:read.
#pragma once

#include "core/common/clock.h"
#include "core/common/status.h"
#include "http/public_status_routes.h"
#include "http/report_routes.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kStaffingPath = "/api/v1/planning/staffing";
inline constexpr const char* kForecastPath = "/api/v1/planning/forecast";

struct PlanningSources {
  ReportCallSource history;   // the call records; empty: the forecast answers 503
  ConfigProvider config;      // the live config: holidays, the federal centre's UTC offset
  const Clock* clock = nullptr;
};

// What `sources` refers to must outlive the router.
Status AddPlanningRoutes(Router& router, PlanningSources sources = {});

}  // namespace gosline::http
