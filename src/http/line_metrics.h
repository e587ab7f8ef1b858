// Figures of the running line that are not the centre's queues: calls in
// media, the media loop's load, and what the stores have written. The
// composition root fills LineFigures from the parts it started (telephony may
// be off: those families are then left out).
#pragma once

#include <cstdint>
#include <optional>

#include "http/prometheus_text.h"

namespace gosline::http {

struct LineFigures {
  std::optional<uint64_t> calls_in_media;      // telephony off: nullopt
  std::optional<double> media_busy_share;      // smoothed share of each 20 ms tick spent working
  std::optional<uint64_t> call_records_written;
  std::optional<uint64_t> call_records_failed;
  std::optional<uint64_t> call_record_batches;
  std::optional<uint64_t> audit_appends;
  std::optional<uint64_t> audit_groups;        // transactions the appends were grouped into
};

void WriteLineMetrics(const LineFigures& figures, PrometheusText& out);

}  // namespace gosline::http
