#include "core/planning/forecast.h"

#include <cmath>
#include <map>

namespace gosline::planning {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr int kHolidayType = 7;  // day types: 0 = Monday .. 6 = Sunday, 7 = holiday

class History {
 public:
  History(const std::vector<Time>& arrivals, Time until, const ForecastOptions& o)
      : o_(o), slots_(static_cast<size_t>(days(1) / o.interval)) {
    for (Time t : arrivals) {
      if (t >= until) continue;
      const Time local = t + o.utc_offset;
      const sys_days day = std::chrono::floor<days>(local);
      const auto slot = static_cast<size_t>((local - day) / o.interval);
      std::vector<double>& counts = by_day_[day];
      if (counts.empty()) counts.assign(slots_, 0.0);
      counts[slot] += 1;
    }
  }

  int DayType(sys_days day) const {
    if (o_.holidays.count(day)) return kHolidayType;
    return static_cast<int>(std::chrono::weekday(day).iso_encoding()) - 1;
  }

  // Expected arrivals in `slot` of `day`: the weighted mean of the same slot
  // on the last `history_weeks` days of the same type before `before`.
  // Days before the first arrival of the history count as missing, not zero.
  std::optional<double> Expect(sys_days day, size_t slot, sys_days before) const {
    const int type = DayType(day);
    double sum = 0, weight = 0, w = 1;
    int found = 0;
    // Same weekday a week apart; for holidays, any earlier holiday.
    for (sys_days d = before - days(1); d >= first_ && found < o_.history_weeks; d -= days(1)) {
      if (DayType(d) != type) continue;
      auto it = by_day_.find(d);
      sum += w * (it == by_day_.end() ? 0.0 : it->second[slot]);
      weight += w;
      w *= o_.recent_weight;
      ++found;
    }
    if (found == 0) return std::nullopt;
    return sum / weight;
  }

  double Actual(sys_days day, size_t slot) const {
    auto it = by_day_.find(day);
    return it == by_day_.end() ? 0.0 : it->second[slot];
  }

  bool empty() const { return by_day_.empty(); }
  void SetFirst() { first_ = by_day_.empty() ? sys_days{} : by_day_.begin()->first; }
  sys_days first() const { return first_; }
  size_t slots() const { return slots_; }

 private:
  const ForecastOptions& o_;
  size_t slots_;
  std::map<sys_days, std::vector<double>> by_day_;
  sys_days first_{};
};

// Weighted absolute percentage error of `forecast` against `actual`.
std::optional<double> Wape(const std::vector<double>& forecast, const std::vector<double>& actual) {
  double error = 0, total = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    error += std::fabs(forecast[i] - actual[i]);
    total += actual[i];
  }
  if (total == 0) return std::nullopt;
  return error / total;
}

}  // namespace

Result<Forecast> ForecastArrivals(const std::vector<Time>& arrivals, Time start,
                                  const ForecastOptions& o) {
  if (o.interval <= Duration::zero() || days(1) % o.interval != Duration::zero()) {
    return Status::InvalidArgument("interval must divide a day", "interval");
  }
  if (o.history_weeks <= 0) return Status::InvalidArgument("history_weeks must be > 0", "history_weeks");
  if (o.horizon_days <= 0 || o.horizon_days > 366) {
    return Status::InvalidArgument("horizon_days must be 1..366", "horizon_days");
  }
  if (!(o.recent_weight > 0 && o.recent_weight <= 1)) {
    return Status::InvalidArgument("recent_weight must be in (0, 1]", "recent_weight");
  }
  // Whole local days: the forecast starts at the next local midnight, so
  // every day has all its slots; the history ends at the last one, so a
  // partly elapsed today is not taken for a quiet day.
  const Time local_start = start + o.utc_offset;
  const sys_days first_day = std::chrono::ceil<days>(local_start);
  const sys_days complete = std::chrono::floor<days>(local_start);
  History history(arrivals, complete - o.utc_offset, o);
  history.SetFirst();

  Forecast f;
  f.start = Time(first_day) - o.utc_offset;
  f.interval = o.interval;
  const size_t slots = history.slots();
  f.calls.reserve(slots * static_cast<size_t>(o.horizon_days));
  for (int d = 0; d < o.horizon_days; ++d) {
    const sys_days day = first_day + days(d);
    for (size_t s = 0; s < slots; ++s) {
      // Later days of the horizon are forecast from history only, never from
      // the forecast itself.
      f.calls.push_back(history.empty() ? 0.0 : history.Expect(day, s, complete).value_or(0.0));
    }
  }

  // Hold out the last full week: forecast it from what came before it.
  const sys_days holdout = complete - days(7);
  if (!history.empty() && holdout - days(7) >= history.first()) {
    std::vector<double> predicted, naive, actual;
    for (int d = 0; d < 7; ++d) {
      const sys_days day = holdout + days(d);
      for (size_t s = 0; s < slots; ++s) {
        predicted.push_back(history.Expect(day, s, holdout).value_or(0.0));
        naive.push_back(history.Actual(day - days(7), s));
        actual.push_back(history.Actual(day, s));
      }
    }
    f.holdout_error = Wape(predicted, actual);
    f.naive_error = Wape(naive, actual);
  }
  return f;
}

}  // namespace gosline::planning
