// Results of the line probes (R4 availability; core/stats/availability.h):
// one row per probe, kept for the monthly report. One interface per engine.
//
// Thread-safety: every method may be called from any thread; calls are
// serialised.
#pragma once

#include <cstddef>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/stats/availability.h"

namespace gosline {

class ProbeStore {
 public:
  // A month of one-minute probes from a few nodes, with room to spare.
  static constexpr size_t kMaxRows = 1'000'000;

  virtual ~ProbeStore() = default;

  virtual Status Append(const stats::ProbeResult& probe) = 0;
  // Probes with at in [from, to), oldest first; ResourceExhausted beyond max_rows.
  virtual Result<std::vector<stats::ProbeResult>> Read(Time from, Time to,
                                                       size_t max_rows = kMaxRows) = 0;
};

}  // namespace gosline
