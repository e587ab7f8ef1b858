// Forecast of calls per interval for the coming weeks, from history (R13):
// weekly seasonality (each weekday has its own daily curve), holidays as a
// day type of their own, recent weeks weighing more. Deliberately simple and
// explainable to a planner; its error on held-out history comes with it, so
// the planner sees how far to trust it.
//
// Pure: arrivals and the start are passed in. Slots are the line's local
// time (a fixed UTC offset, as BusinessCalendar).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline::planning {

struct ForecastOptions {
  Duration interval{std::chrono::minutes(15)};   // must divide a day
  std::chrono::minutes utc_offset{180};          // Moscow time by default
  int history_weeks = 6;                         // how far back to average
  int horizon_days = 14;                         // how far ahead to forecast
  double recent_weight = 0.7;                    // week k back weighs recent_weight^k
  std::set<std::chrono::sys_days> holidays;      // local dates
};

struct Forecast {
  Time start{};                   // the first interval (aligned to the interval)
  Duration interval{};
  std::vector<double> calls;      // expected arrivals per interval
  // Weighted absolute percentage error of this method on the last full week
  // before `start`, forecast from the weeks before it; and of "same as the
  // week before" for comparison. nullopt without enough history.
  std::optional<double> holdout_error;
  std::optional<double> naive_error;
};

// `arrivals`: when calls arrived (any order); only those of whole local days
// before `start` are used (today, partly elapsed, is left out). The forecast
// starts at the local midnight at or after `start`. InvalidArgument for an interval that does not divide a day, or
// non-positive weeks/horizon.
Result<Forecast> ForecastArrivals(const std::vector<Time>& arrivals, Time start,
                                  const ForecastOptions& options);

}  // namespace gosline::planning
