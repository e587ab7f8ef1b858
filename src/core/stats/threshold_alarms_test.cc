#include "core/stats/threshold_alarms.h"

#include <gtest/gtest.h>

namespace gosline::stats {
namespace {

using std::chrono::seconds;

const Time kT0 = *ParseIso8601("2026-12-01T06:00:00Z");

AlarmRule SlBelow(Duration raise_after = Duration::zero()) {
  return {.id = "sl-low", .queue = "", .metric = AlarmMetric::kServiceLevelWindow,
          .above = false, .threshold = 0.8, .clear_at = 0.85, .raise_after = raise_after};
}

QueueMeasurements Sl(double v) {
  QueueMeasurements m;
  m.service_level_window = v;
  return m;
}

TEST(ThresholdAlarmsTest, RaisesBelowAndClearsOnlyPastTheHysteresisBand) {
  auto ev = AlarmEvaluator::Create({SlBelow()});
  ASSERT_TRUE(ev.ok());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.9), kT0).empty());
  auto raised = ev->Evaluate("q", Sl(0.7), kT0 + seconds(1));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_TRUE(raised[0].raised);
  EXPECT_EQ(raised[0].rule_id, "sl-low");
  EXPECT_EQ(raised[0].queue, "q");
  EXPECT_DOUBLE_EQ(raised[0].value, 0.7);
  EXPECT_EQ(raised[0].at, kT0 + seconds(1));
  // Inside the band (0.8..0.85): no flapping either way.
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.82), kT0 + seconds(2)).empty());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.79), kT0 + seconds(3)).empty());
  ASSERT_EQ(ev->Active().size(), 1u);
  EXPECT_EQ(ev->Active()[0].since, kT0 + seconds(1));
  auto cleared = ev->Evaluate("q", Sl(0.85), kT0 + seconds(4));
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_FALSE(cleared[0].raised);
  EXPECT_EQ(cleared[0].at, kT0 + seconds(4));
  EXPECT_TRUE(ev->Active().empty());
}

TEST(ThresholdAlarmsTest, RaiseAfterNeedsTheConditionToHold) {
  auto ev = AlarmEvaluator::Create({SlBelow(seconds(60))});
  ASSERT_TRUE(ev.ok());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.5), kT0).empty());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.5), kT0 + seconds(30)).empty());
  // Recovers briefly: the timer restarts.
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.9), kT0 + seconds(40)).empty());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.5), kT0 + seconds(50)).empty());
  EXPECT_TRUE(ev->Evaluate("q", Sl(0.5), kT0 + seconds(100)).empty());
  auto raised = ev->Evaluate("q", Sl(0.5), kT0 + seconds(110));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_TRUE(raised[0].raised);
}

TEST(ThresholdAlarmsTest, AboveRulesQueuesAndUnknownValues) {
  AlarmRule wait{.id = "wait", .queue = "pension", .metric = AlarmMetric::kLongestWaitSeconds,
                 .above = true, .threshold = 120, .clear_at = 90};
  AlarmRule abandon{.id = "abandon", .queue = "", .metric = AlarmMetric::kAbandonRateWindow,
                    .above = true, .threshold = 0.1, .clear_at = 0.08};
  auto ev = AlarmEvaluator::Create({wait, abandon});
  ASSERT_TRUE(ev.ok());
  QueueMeasurements m;
  m.longest_wait_seconds = 121;
  // Rule "wait" is for pension only.
  EXPECT_TRUE(ev->Evaluate("tax", m, kT0).empty());
  auto r = ev->Evaluate("pension", m, kT0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].rule_id, "wait");
  // Unknown value: nothing changes, the alarm stays.
  EXPECT_TRUE(ev->Evaluate("pension", QueueMeasurements{}, kT0 + seconds(5)).empty());
  EXPECT_EQ(ev->Active().size(), 1u);
  m.longest_wait_seconds = 100;  // in the band
  EXPECT_TRUE(ev->Evaluate("pension", m, kT0 + seconds(6)).empty());
  m.longest_wait_seconds = 90;
  EXPECT_EQ(ev->Evaluate("pension", m, kT0 + seconds(7)).size(), 1u);

  QueueFigures f;
  f.answered_window = 8;
  f.abandoned_window = 2;
  auto a = ev->Evaluate("tax", MeasurementsFrom(f), kT0);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule_id, "abandon");
  EXPECT_DOUBLE_EQ(a[0].value, 0.2);
  EXPECT_EQ(a[0].metric, AlarmMetric::kAbandonRateWindow);
}

TEST(ThresholdAlarmsTest, InvalidRulesAreRefused) {
  AlarmRule bad = SlBelow();
  bad.clear_at = 0.7;  // clears on the alarming side
  EXPECT_EQ(AlarmEvaluator::Create({bad}).status().field(), "clear_at");
  EXPECT_FALSE(AlarmEvaluator::Create({SlBelow(), SlBelow()}).ok());
  AlarmRule no_id = SlBelow();
  no_id.id.clear();
  EXPECT_FALSE(AlarmEvaluator::Create({no_id}).ok());
}

TEST(ThresholdAlarmsTest, MetricNamesRoundTrip) {
  for (auto m : {AlarmMetric::kServiceLevelWindow, AlarmMetric::kServiceLevelToday,
                 AlarmMetric::kAbandonRateWindow, AlarmMetric::kLongestWaitSeconds,
                 AlarmMetric::kCallsWaiting}) {
    EXPECT_EQ(AlarmMetricFromString(ToString(m)), m);
  }
  EXPECT_FALSE(AlarmMetricFromString("nope").has_value());
}

}  // namespace
}  // namespace gosline::stats
