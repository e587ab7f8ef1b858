// The planner's staffing calculator (R13, R18):
//   GET /api/v1/planning/staffing?calls=&interval_minutes=&handle_seconds=
//       &patience_seconds=&service_level=&within_seconds=&max_occupancy=&max_abandon_rate=
// answers how many operators an interval needs for a target, by Erlang C
// and, when a patience is given, by Erlang A (core/planning/erlang.h), with
// the figures each count gives. For supervisors; API keys need reports:read.
#pragma once

#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kStaffingPath = "/api/v1/planning/staffing";

Status AddPlanningRoutes(Router& router);

}  // namespace gosline::http
