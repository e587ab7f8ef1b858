// The 15-minute rollups behind the historical reports (R13, R18;
// core/stats/interval_rollup.h), kept beside the call records and read for
// any date range merged into 15 minutes, hours, days, weeks or months.
//
// How a call never goes missing from the rollups: the database marks the
// interval of every call record written or changed (telephony's record, the
// contact centre's outcome, a recorded leg) as to be recounted, in the same
// transaction as the write. CatchUp recounts the marked intervals from the
// call records, each in full, so a recount is idempotent and a crash between
// the write and the recount only delays it. A call that repeats an earlier
// contact marks the earlier call's interval too (its first-contact
// resolution changes). Reports call CatchUp before they read, so what they
// show includes every call ended before the request.
//
// Records removed later (retention, a citizen's erasure) leave the rollups
// as they were: the figures are anonymous and the history of the line's
// load outlives the personal data. Rebuild recounts from the records that
// remain, so a rebuilt range older than the retention period loses those calls.
//
// Thread-safety: every method may be called from any thread; calls are serialised.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/stats/interval_rollup.h"

namespace gosline {

struct RollupQuery {
  Time from{}, to{};  // intervals that start in [from, to)
  stats::RollupDimension dimension = stats::RollupDimension::kTotal;
  stats::ReportBucket bucket = stats::ReportBucket::kHour;
  std::chrono::minutes utc_offset{180};  // local time of days, weeks and months
};

class ReportRollupStore {
 public:
  virtual ~ReportRollupStore() = default;

  // Recounts every interval marked since the last catch-up; how many.
  virtual Result<size_t> CatchUp() = 0;
  // Recounts every interval that starts in [from, to) from the call records
  // (`gosline reports rebuild`); how many intervals it recounted.
  virtual Result<size_t> Rebuild(Time from, Time to) = 0;
  // The figures per bucket and key, sorted by bucket start then key.
  virtual Result<std::vector<stats::IntervalRow>> Read(const RollupQuery& q) = 0;
};

}  // namespace gosline
