#include "core/routing/wait_estimate.h"

#include <cmath>

namespace gosline::routing {

std::optional<Duration> EstimateWait(size_t calls_ahead, uint32_t ready, uint32_t working,
                                     Duration handle_time) {
  if (calls_ahead < ready) return Duration(0);
  if (working == 0) return std::nullopt;
  const double finishes_needed = double(calls_ahead - ready + 1);
  return Duration(int64_t(std::llround(finishes_needed * double(handle_time.count()) / working)));
}

void MovingAverage::Add(Duration sample) {
  const double ms = double(sample.count());
  ms_ = any_ ? ms_ + kWeight * (ms - ms_) : ms;
  any_ = true;
}

std::optional<Duration> MovingAverage::value() const {
  if (!any_) return std::nullopt;
  return Duration(int64_t(std::llround(ms_)));
}

}  // namespace gosline::routing
