// The historical report (R18): GET /api/v1/reports/summary?from=&to=&group_by=
// over the call records, for supervisors. The figures come from the pure
// stats::Summarize (core/stats/call_summary.h); the rows from a source the
// caller wires to storage (a CallReportReader, storage/call_report_reader.h).
#pragma once

#include <functional>
#include <vector>

#include "core/common/status.h"
#include "core/stats/call_summary.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kReportSummaryPath = "/api/v1/reports/summary";

// Rows with started in [from, to). Called on an HTTP thread.
using ReportCallSource =
    std::function<Result<std::vector<stats::ReportCall>>(Time from, Time to)>;

// `source` is copied; what it refers to must outlive the router.
Status AddReportRoutes(Router& router, ReportCallSource source);

}  // namespace gosline::http
