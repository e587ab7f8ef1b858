#include "core/stats/queue_statistics.h"

#include <gtest/gtest.h>

namespace gosline::stats {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2026-12-01 09:00 Moscow (06:00 UTC).
const Time kMorning = *ParseIso8601("2026-12-01T06:00:00Z");

TEST(QueueStatisticsTest, UnknownQueueHasNoFigures) {
  QueueStatistics s;
  QueueFigures f = s.Figures("none", kMorning);
  EXPECT_EQ(f.offered_today, 0u);
  EXPECT_FALSE(f.service_level_window.has_value());
  EXPECT_FALSE(f.avg_wait_today.has_value());
}

TEST(QueueStatisticsTest, ServiceLevelCountsAnsweredWithinThresholdOverAnsweredAndAbandoned) {
  QueueStatistics s;
  Time t = kMorning;
  for (int i = 0; i < 5; ++i) s.CallQueued("pension", t);
  s.CallAnswered("pension", seconds(10), t + seconds(10));
  s.CallAnswered("pension", seconds(30), t + seconds(30));  // exactly at the threshold: in SL
  s.CallAnswered("pension", seconds(31), t + seconds(31));
  s.CallAbandoned("pension", seconds(40), t + seconds(40));
  s.CallAbandoned("pension", seconds(4), t + seconds(4));  // short abandon: not counted
  QueueFigures f = s.Figures("pension", t + minutes(1));
  EXPECT_EQ(f.offered_window, 5u);
  EXPECT_EQ(f.answered_window, 3u);
  EXPECT_EQ(f.answered_in_sl_window, 2u);
  EXPECT_EQ(f.abandoned_window, 1u);
  ASSERT_TRUE(f.service_level_window.has_value());
  EXPECT_DOUBLE_EQ(*f.service_level_window, 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(*f.service_level_today, 2.0 / 4.0);
  EXPECT_EQ(*f.avg_wait_today, Duration(seconds(71)) / 3);
  EXPECT_EQ(*f.median_wait_today, seconds(30));
}

TEST(QueueStatisticsTest, ShortAbandonThresholdIsConfigurable) {
  StatsConfig c;
  c.short_abandon = Duration::zero();
  QueueStatistics s(c);
  s.CallAbandoned("q", seconds(1), kMorning);
  EXPECT_EQ(s.Figures("q", kMorning).abandoned_today, 1u);
  EXPECT_DOUBLE_EQ(*s.Figures("q", kMorning).service_level_today, 0.0);
}

TEST(QueueStatisticsTest, WindowSlidesButTodayKeepsCounting) {
  QueueStatistics s;
  s.CallQueued("q", kMorning);
  s.CallAnswered("q", seconds(5), kMorning + seconds(5));
  s.CallQueued("q", kMorning + minutes(10));
  s.CallAnswered("q", seconds(50), kMorning + minutes(10) + seconds(50));

  QueueFigures at14 = s.Figures("q", kMorning + minutes(14));
  EXPECT_EQ(at14.answered_window, 2u);
  EXPECT_DOUBLE_EQ(*at14.service_level_window, 0.5);

  // 15 min after the first answer it has left the window (window is (now-15m, now]).
  QueueFigures later = s.Figures("q", kMorning + seconds(5) + minutes(15));
  EXPECT_EQ(later.answered_window, 1u);
  EXPECT_EQ(later.offered_window, 1u);
  EXPECT_DOUBLE_EQ(*later.service_level_window, 0.0);
  EXPECT_EQ(later.answered_today, 2u);
  EXPECT_DOUBLE_EQ(*later.service_level_today, 0.5);

  QueueFigures much_later = s.Figures("q", kMorning + hours(2));
  EXPECT_EQ(much_later.answered_window, 0u);
  EXPECT_FALSE(much_later.service_level_window.has_value());
  EXPECT_EQ(much_later.answered_today, 2u);
}

TEST(QueueStatisticsTest, DayRollsOverAtLocalMidnight) {
  QueueStatistics s;  // UTC+3
  const Time before_midnight = *ParseIso8601("2026-12-01T20:55:00Z");  // 23:55 local
  s.CallQueued("q", before_midnight);
  s.CallAnswered("q", seconds(20), before_midnight + seconds(20));
  s.CallEnded("q", minutes(3), before_midnight + minutes(3));

  QueueFigures at_2359 = s.Figures("q", *ParseIso8601("2026-12-01T20:59:59Z"));
  EXPECT_EQ(at_2359.answered_today, 1u);
  EXPECT_EQ(*at_2359.avg_talk_today, minutes(3));

  const Time after_midnight = *ParseIso8601("2026-12-01T21:01:00Z");  // 00:01 local
  QueueFigures f = s.Figures("q", after_midnight);
  EXPECT_EQ(f.answered_today, 0u);
  EXPECT_EQ(f.offered_today, 0u);
  EXPECT_FALSE(f.service_level_today.has_value());
  EXPECT_FALSE(f.avg_talk_today.has_value());
  // The window still sees the last 15 minutes across midnight.
  EXPECT_EQ(f.answered_window, 1u);
  EXPECT_EQ(f.offered_window, 1u);

  // UTC midnight is not a rollover with a +3 h offset.
  s.CallQueued("q", after_midnight);
  QueueFigures utc_midnight = s.Figures("q", *ParseIso8601("2026-12-02T00:30:00Z"));
  EXPECT_EQ(utc_midnight.offered_today, 1u);
}

TEST(QueueStatisticsTest, LateEventIsPlacedByItsTime) {
  QueueStatistics s;
  s.CallAnswered("q", seconds(1), kMorning + minutes(5));
  s.CallAnswered("q", seconds(60), kMorning + minutes(1));  // reported late
  QueueFigures f = s.Figures("q", kMorning + minutes(16) + seconds(30));
  EXPECT_EQ(f.answered_window, 1u);  // only the 09:05 one is still inside
  EXPECT_EQ(f.answered_in_sl_window, 1u);
  EXPECT_EQ(f.answered_today, 2u);
}

TEST(QueueStatisticsTest, EventsAfterNowAreIgnored) {
  QueueStatistics s;
  s.CallQueued("q", kMorning + minutes(1));
  EXPECT_EQ(s.Figures("q", kMorning).offered_window, 0u);
  EXPECT_EQ(s.Figures("q", kMorning + minutes(1)).offered_window, 1u);
}

TEST(QueueStatisticsTest, OldEventsArePrunedAndAllListsEveryQueue) {
  QueueStatistics s;
  for (int i = 0; i < 2000; ++i) s.CallQueued("a", kMorning + minutes(i));
  s.CallQueued("b", kMorning);
  const Time end = kMorning + minutes(1999);
  auto all = s.All(end);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].first, "a");
  EXPECT_EQ(all[0].second.offered_window, 15u);
  // Local day of `end` started at local midnight; only those minutes are today.
  const Time day_start = *ParseIso8601("2026-12-01T21:00:00Z");  // 2 Dec 00:00 local
  EXPECT_EQ(all[0].second.offered_today,
            static_cast<size_t>((end - day_start) / minutes(1)) + 1);
  EXPECT_EQ(all[1].first, "b");
}

}  // namespace
}  // namespace gosline::stats
