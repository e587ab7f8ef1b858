// Estimated wait (R3, R11): how long a caller with `calls_ahead` calls before
// it waits, when `ready` operators are free now and `working` are logged in
// and not on a break, each taking `handle_time` per call on average.
// Operators finish calls at about working/handle_time per second, so the
// caller is reached after (calls_ahead - ready + 1) of those finishes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/common/time.h"

namespace gosline::routing {

// nullopt when nobody is working: the wait has no bound.
std::optional<Duration> EstimateWait(size_t calls_ahead, uint32_t ready, uint32_t working,
                                     Duration handle_time);

// Exponentially weighted moving average of durations (handle times, answered
// waits): recent calls count most, so the estimate follows the time of day.
class MovingAverage {
 public:
  static constexpr double kWeight = 0.1;  // of each new sample
  void Add(Duration sample);
  std::optional<Duration> value() const;

 private:
  double ms_ = 0;
  bool any_ = false;
};

}  // namespace gosline::routing
