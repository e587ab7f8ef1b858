// Reads call records for the historical report (R18; http/report_routes.h):
// telephony's part of each record with the contact centre's outcome
// (call_record_store.h, call_outcome_store.h), as the pure stats::ReportCall
// rows. One interface for every engine.
//
// Thread-safety: Read may be called from any thread; calls are serialised.
#pragma once

#include <cstddef>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/stats/call_summary.h"

namespace gosline {

class CallReportReader {
 public:
  // Beyond this many calls a report asks for a shorter range.
  static constexpr size_t kMaxRows = 2'000'000;

  virtual ~CallReportReader() = default;

  // Calls started in [from, to), oldest first. ResourceExhausted beyond
  // max_rows (ask for a shorter range).
  virtual Result<std::vector<stats::ReportCall>> Read(Time from, Time to,
                                                      size_t max_rows = kMaxRows) = 0;
};

}  // namespace gosline
