#include "core/planning/forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace gosline::planning {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// 2026-03-02 is a Monday. Local time is UTC+3 (the default offset).
constexpr sys_days kMonday = sys_days(year{2026} / March / 2);
Time LocalTime(sys_days day, minutes since_midnight) {
  return Time(day) + since_midnight - minutes(180);
}

// Calls per 15-minute slot: a daily curve (busy 09:00-18:00) times a
// weekday factor (Mondays busiest, weekends quiet).
double Expected(sys_days day, int slot) {
  const int wd = static_cast<int>(weekday(day).iso_encoding());  // 1 = Monday
  const double factor = wd == 1 ? 2.0 : wd >= 6 ? 0.5 : 1.0;
  const double hour = slot / 4.0;
  return (hour >= 9 && hour < 18 ? 8.0 : 1.0) * factor;
}

std::vector<Time> History(sys_days from, int days_count, bool noisy, uint64_t seed = 3) {
  std::mt19937_64 rng(seed);
  std::vector<Time> out;
  for (int d = 0; d < days_count; ++d) {
    const sys_days day = from + days(d);
    for (int slot = 0; slot < 96; ++slot) {
      const double mean = Expected(day, slot);
      const int n = noisy ? std::poisson_distribution<int>(mean)(rng)
                          : static_cast<int>(std::lround(mean));
      for (int i = 0; i < n; ++i) {
        out.push_back(LocalTime(day, minutes(slot * 15 + (i * 13) % 15)));
      }
    }
  }
  return out;
}

TEST(ForecastTest, RepeatsAStableWeekExactly) {
  // Eight weeks of the same pattern, then forecast the next two.
  const auto history = History(kMonday, 56, false);
  const Time start = LocalTime(kMonday + days(56), 0min);
  auto f = ForecastArrivals(history, start, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->start, start);
  ASSERT_EQ(f->calls.size(), 14u * 96u);
  for (int d = 0; d < 14; ++d) {
    for (int slot = 0; slot < 96; slot += 7) {
      EXPECT_NEAR(f->calls[d * 96 + slot], std::lround(Expected(kMonday + days(56 + d), slot)), 1e-9)
          << "day " << d << " slot " << slot;
    }
  }
  ASSERT_TRUE(f->holdout_error.has_value());
  EXPECT_NEAR(*f->holdout_error, 0.0, 1e-9);
}

TEST(ForecastTest, AveragingBeatsLastWeekOnNoisyHistory) {
  const auto history = History(kMonday, 56, true);
  auto f = ForecastArrivals(history, LocalTime(kMonday + days(56), 0min), {});
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->holdout_error && f->naive_error);
  EXPECT_LT(*f->holdout_error, *f->naive_error);
  EXPECT_LT(*f->holdout_error, 0.4);
  // A Monday 10:00 slot near its mean of 16 calls.
  EXPECT_NEAR(f->calls[40], 16.0, 4.0);
}

TEST(ForecastTest, HolidaysFollowEarlierHolidaysNotTheirWeekday) {
  ForecastOptions o;
  // A Monday holiday in the history, almost without calls; and one ahead.
  const sys_days past_holiday = kMonday + days(21);
  const sys_days next_holiday = kMonday + days(56 + 7);
  o.holidays = {past_holiday, next_holiday};
  auto history = History(kMonday, 56, false);
  std::erase_if(history, [&](Time t) {
    // Keep only the calls at the start of each slot: one or two in sixteen.
    return floor<days>(t + minutes(180)) == past_holiday &&
           floor<minutes>(t).time_since_epoch().count() % 15 != 0;
  });
  auto f = ForecastArrivals(history, LocalTime(kMonday + days(56), 0min), o);
  ASSERT_TRUE(f.ok());
  const size_t monday = 40, holiday = 7 * 96 + 40;  // 10:00 of each
  EXPECT_NEAR(f->calls[monday], 16.0, 1e-9);
  EXPECT_LT(f->calls[holiday], 8.0);
}

TEST(ForecastTest, StartsAtTheNextLocalMidnightAndRefusesBadOptions) {
  const auto history = History(kMonday, 14, false);
  auto f = ForecastArrivals(history, LocalTime(kMonday + days(14), 10h + 7min), {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->start, LocalTime(kMonday + days(15), 0min));
  // Without two weeks before the held-out one there is no error figure.
  EXPECT_FALSE(ForecastArrivals(History(kMonday, 10, false), LocalTime(kMonday + days(10), 0min), {})
                   ->holdout_error.has_value());
  EXPECT_EQ(ForecastArrivals({}, Time{}, {.interval = 7min}).status().field(), "interval");
  EXPECT_EQ(ForecastArrivals({}, Time{}, {.history_weeks = 0}).status().field(), "history_weeks");
  EXPECT_EQ(ForecastArrivals({}, Time{}, {.horizon_days = 0}).status().field(), "horizon_days");
  auto empty = ForecastArrivals({}, LocalTime(kMonday, 0min), {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->calls.size(), 14u * 96u);
  EXPECT_EQ(empty->calls[50], 0.0);
}

}  // namespace
}  // namespace gosline::planning
