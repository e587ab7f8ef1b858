// Historical reports by interval (R13, R18):
//   GET /api/v1/reports/intervals?from=&to=&by=15m|hour|day|week|month
//       &dimension=total|line|queue|topic|agency|region|operator[&format=json|csv][&table=...]
// for supervisors and compliance controllers. The figures come from the
// 15-minute rollups (storage/report_rollup_store.h), brought up to date
// before each read; definitions in core/stats/interval_rollup.h.
//
// JSON: `over_time` (the whole line per bucket: the line chart), `rows`
// (each bucket x key of the dimension), `by_key` (each key over the range:
// the bar chart) and `total`. CSV (format=csv): one of these tables
// (table=rows, the default, over_time or by_key), with a header row.
//
// from and to fall on quarter hours; a range holds at most 31 days by 15
// minutes, 92 days by hour and 732 days by day, week or month (a larger one
// is refused with 400: the answer would be too large to read or draw).
#pragma once

#include <chrono>

#include <nlohmann/json_fwd.hpp>

#include "core/common/status.h"
#include "http/router.h"
#include "storage/report_rollup_store.h"

namespace gosline::http {

inline constexpr const char* kIntervalReportPath = "/api/v1/reports/intervals";

struct IntervalReportOptions {
  ReportRollupStore* store = nullptr;     // must outlive the router
  std::chrono::minutes utc_offset{180};   // the line's local time (days, weeks, months)
  Duration service_level_threshold{std::chrono::seconds(30)};  // as the rollups count it
  Duration short_abandon{std::chrono::seconds(5)};
};

Status AddIntervalReportRoutes(Router& router, IntervalReportOptions options);

// IntervalReport and IntervalFigures in OpenAPI components/schemas.
void AddIntervalReportSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
