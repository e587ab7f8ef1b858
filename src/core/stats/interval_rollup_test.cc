// R13, R18: the 15-minute rollups on hand-made calls.
#include "core/stats/interval_rollup.h"

#include <gtest/gtest.h>

namespace gosline::stats {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Time At(const char* iso) { return *ParseIso8601(iso); }

RollupCall Queued(const char* started, const char* outcome, std::optional<Duration> wait) {
  RollupCall c;
  c.started = At(started);
  c.line = "115";
  c.queue = "q-reg";
  c.topic = "registration";
  c.agency = "mvd";
  c.region = "77";
  c.caller = "hmac-a";
  c.outcome = outcome;
  c.ivr_end = "queued";
  c.wait = wait;
  return c;
}

TEST(IntervalRollupTest, IntervalStartIsTheQuarterHour) {
  EXPECT_EQ(IntervalStart(At("2026-12-01T09:14:59.999Z")), At("2026-12-01T09:00:00Z"));
  EXPECT_EQ(IntervalStart(At("2026-12-01T09:15:00Z")), At("2026-12-01T09:15:00Z"));
  EXPECT_EQ(IntervalStart(At("2026-12-01T23:59:00Z")), At("2026-12-01T23:45:00Z"));
}

TEST(IntervalRollupTest, AnsweredCallAddsWaitTalkWrapUpAndServiceLevel) {
  RollupCall c = Queued("2026-12-01T09:05:00Z", "answered", seconds(20));
  c.operator_id = "op-1";
  c.talk = seconds(300);
  c.wrap_up = seconds(60);
  c.operator_legs = 2;
  const IntervalFigures f = FiguresOf(c, {});
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.offered, 1);
  EXPECT_EQ(f.answered, 1);
  EXPECT_EQ(f.answered_within, 1);
  EXPECT_EQ(f.wait_ms, 20'000);
  EXPECT_EQ(f.talk_ms, 300'000);
  EXPECT_EQ(f.wrap_up_ms, 60'000);
  EXPECT_EQ(f.handle_ms, 360'000);
  EXPECT_EQ(f.handles, 1);
  EXPECT_EQ(f.transfers, 1);
  EXPECT_EQ(f.fcr_eligible, 1);
  EXPECT_EQ(f.fcr_resolved, 1);
  EXPECT_EQ(f.abandoned + f.short_abandoned, 0);
}

TEST(IntervalRollupTest, ThresholdIsInclusiveAndConfigurable) {
  EXPECT_EQ(FiguresOf(Queued("2026-12-01T09:05:00Z", "answered", seconds(30)), {}).answered_within, 1);
  EXPECT_EQ(FiguresOf(Queued("2026-12-01T09:05:00Z", "answered", seconds(31)), {}).answered_within, 0);
  RollupSettings s;
  s.service_level_threshold = seconds(20);
  EXPECT_EQ(FiguresOf(Queued("2026-12-01T09:05:00Z", "answered", seconds(25)), s).answered_within, 0);
}

TEST(IntervalRollupTest, ShortAbandonsAreCountedApart) {
  const IntervalFigures quick = FiguresOf(Queued("2026-12-01T09:05:00Z", "abandoned", seconds(4)), {});
  EXPECT_EQ(quick.short_abandoned, 1);
  EXPECT_EQ(quick.abandoned, 0);
  const IntervalFigures lost = FiguresOf(Queued("2026-12-01T09:05:00Z", "abandoned", seconds(5)), {});
  EXPECT_EQ(lost.abandoned, 1);
  EXPECT_EQ(lost.short_abandoned, 0);
  // Unknown wait: counted as a real abandon, not hidden.
  EXPECT_EQ(FiguresOf(Queued("2026-12-01T09:05:00Z", "abandoned", std::nullopt), {}).abandoned, 1);
  RollupSettings s;
  s.short_abandon = seconds(10);
  EXPECT_EQ(FiguresOf(Queued("2026-12-01T09:05:00Z", "abandoned", seconds(8)), s).short_abandoned, 1);
}

TEST(IntervalRollupTest, IvrContainedCallbacksAndUnqueuedCalls) {
  RollupCall info;
  info.started = At("2026-12-01T09:05:00Z");
  info.line = "115";
  info.topic = "hours";
  info.ivr_end = "completed";
  const IntervalFigures f = FiguresOf(info, {});
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.offered, 0);
  EXPECT_EQ(f.ivr_contained, 1);
  EXPECT_EQ(f.identified, 0);  // no caller number
  RollupCall hung_up = info;
  hung_up.ivr_end = "caller_hung_up";
  EXPECT_EQ(FiguresOf(hung_up, {}).ivr_contained, 0);
  const IntervalFigures cb = FiguresOf(Queued("2026-12-01T09:05:00Z", "callback", seconds(90)), {});
  EXPECT_EQ(cb.callbacks, 1);
  EXPECT_EQ(cb.offered, 1);
  EXPECT_EQ(cb.answered + cb.abandoned, 0);
}

TEST(IntervalRollupTest, IncrementsCoverEveryDimensionWithNoneForMissingValues) {
  RollupCall c = Queued("2026-12-01T09:20:00Z", "abandoned", seconds(40));
  const std::vector<RollupIncrement> inc = IncrementsOf(c, {});
  ASSERT_EQ(inc.size(), kAllRollupDimensions.size());
  EXPECT_EQ(inc[0].dimension, RollupDimension::kTotal);
  EXPECT_EQ(inc[0].key, "");
  for (const auto& i : inc) {
    EXPECT_EQ(i.interval, At("2026-12-01T09:15:00Z"));
    EXPECT_EQ(i.figures.abandoned, 1);
  }
  EXPECT_EQ(DimensionKey(c, RollupDimension::kLine), "115");
  EXPECT_EQ(DimensionKey(c, RollupDimension::kAgency), "mvd");
  EXPECT_EQ(DimensionKey(c, RollupDimension::kRegion), "77");
  EXPECT_EQ(DimensionKey(c, RollupDimension::kOperator), "(none)");
}

TEST(IntervalRollupTest, RepeatContactsAreSameCallerSameTopicWithinTheWindow) {
  std::vector<RollupCall> calls = {
      Queued("2026-12-01T09:00:00Z", "answered", seconds(10)),  // first contact
      Queued("2026-12-03T09:00:00Z", "answered", seconds(10)),  // repeat of the first
      Queued("2026-12-20T09:00:00Z", "answered", seconds(10)),  // beyond 7 days: first again
  };
  RollupCall other_topic = Queued("2026-12-03T10:00:00Z", "answered", seconds(10));
  other_topic.topic = "pensions";
  calls.insert(calls.begin() + 2, other_topic);
  RollupCall other_caller = Queued("2026-12-03T11:00:00Z", "answered", seconds(10));
  other_caller.caller = "hmac-b";
  calls.insert(calls.begin() + 3, other_caller);
  MarkRepeatContacts(calls, hours(24 * 7));
  EXPECT_FALSE(calls[0].repeat);
  EXPECT_TRUE(calls[0].called_again);
  EXPECT_TRUE(calls[1].repeat);
  EXPECT_FALSE(calls[1].called_again);
  EXPECT_FALSE(calls[2].repeat);  // another topic
  EXPECT_FALSE(calls[3].repeat);  // another caller
  EXPECT_FALSE(calls[4].repeat);  // 17 days later
  IntervalFigures sum;
  for (const auto& c : calls) sum += FiguresOf(c, {});
  EXPECT_EQ(sum.identified, 5);
  EXPECT_EQ(sum.repeat_contacts, 1);
  EXPECT_EQ(sum.fcr_eligible, 5);
  EXPECT_EQ(sum.fcr_resolved, 4);
  const DerivedFigures d = Derive(sum);
  EXPECT_DOUBLE_EQ(*d.first_contact_resolution, 0.8);
  EXPECT_DOUBLE_EQ(*d.repeat_contact_rate, 0.2);
}

TEST(IntervalRollupTest, DerivedServiceLevelsAreNamedByTheirDenominator) {
  IntervalFigures f;
  for (auto c : {Queued("2026-12-01T09:00:00Z", "answered", seconds(10)),
                 Queued("2026-12-01T09:01:00Z", "answered", seconds(50)),
                 Queued("2026-12-01T09:02:00Z", "abandoned", seconds(60)),
                 Queued("2026-12-01T09:03:00Z", "abandoned", seconds(2))}) {
    c.talk = seconds(100);
    f += FiguresOf(c, {});
  }
  const DerivedFigures d = Derive(f);
  EXPECT_DOUBLE_EQ(*d.service_level_answered, 0.5);       // 1 of 2 answered
  EXPECT_DOUBLE_EQ(*d.service_level_offered, 1.0 / 3.0);  // 1 of 2 answered + 1 abandoned
  EXPECT_DOUBLE_EQ(*d.abandon_rate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*d.asa_seconds, 30.0);
  EXPECT_DOUBLE_EQ(*d.aht_seconds, 100.0);
  EXPECT_FALSE(d.avg_wrap_up_seconds.has_value());
  EXPECT_FALSE(Derive(IntervalFigures{}).service_level_offered.has_value());
}

TEST(IntervalRollupTest, BucketsFollowLocalTimeWeeksFromMondayAndCalendarMonths) {
  const auto msk = minutes(180);
  // 22:30 UTC on Monday 30 Nov is 01:30 on Tuesday 1 Dec in Moscow.
  const Time t = At("2026-11-30T22:30:00Z");
  EXPECT_EQ(BucketStart(t, ReportBucket::k15Minutes, msk), t);
  EXPECT_EQ(BucketStart(t, ReportBucket::kHour, msk), At("2026-11-30T22:00:00Z"));
  EXPECT_EQ(BucketStart(t, ReportBucket::kDay, msk), At("2026-11-30T21:00:00Z"));
  EXPECT_EQ(BucketStart(t, ReportBucket::kWeek, msk), At("2026-11-29T21:00:00Z"));  // Monday 30 Nov
  EXPECT_EQ(BucketStart(t, ReportBucket::kMonth, msk), At("2026-11-30T21:00:00Z"));  // 1 Dec local
  EXPECT_EQ(NextBucketStart(At("2026-11-30T21:00:00Z"), ReportBucket::kMonth, msk),
            At("2026-12-31T21:00:00Z"));
  EXPECT_EQ(NextBucketStart(At("2027-01-31T21:00:00Z"), ReportBucket::kMonth, msk),
            At("2027-02-28T21:00:00Z"));
}

TEST(IntervalRollupTest, MergingSumsIntervalsPerBucketAndKey) {
  IntervalFigures one;
  one.calls = 1;
  one.answered = 1;
  const std::vector<IntervalRow> rows = {
      {At("2026-12-01T09:00:00Z"), "a", one}, {At("2026-12-01T09:45:00Z"), "a", one},
      {At("2026-12-01T09:45:00Z"), "b", one}, {At("2026-12-01T10:00:00Z"), "a", one}};
  const auto hours_rows = MergeIntoBuckets(rows, ReportBucket::kHour, minutes(180));
  ASSERT_EQ(hours_rows.size(), 3u);
  EXPECT_EQ(hours_rows[0].start, At("2026-12-01T09:00:00Z"));
  EXPECT_EQ(hours_rows[0].key, "a");
  EXPECT_EQ(hours_rows[0].figures.calls, 2);
  EXPECT_EQ(hours_rows[1].key, "b");
  EXPECT_EQ(hours_rows[2].start, At("2026-12-01T10:00:00Z"));
  const auto days_rows = MergeIntoBuckets(rows, ReportBucket::kDay, minutes(180));
  ASSERT_EQ(days_rows.size(), 2u);
  EXPECT_EQ(days_rows[0].figures.calls, 3);
  const auto totals = TotalsByKey(rows, At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].figures.answered, 3);
}

TEST(IntervalRollupTest, NamesRoundTrip) {
  for (RollupDimension d : kAllRollupDimensions) {
    EXPECT_EQ(RollupDimensionFromString(ToString(d)), d);
  }
  EXPECT_EQ(ReportBucketFromString("15m"), ReportBucket::k15Minutes);
  EXPECT_EQ(ReportBucketFromString("month"), ReportBucket::kMonth);
  EXPECT_FALSE(ReportBucketFromString("year").has_value());
  EXPECT_FALSE(RollupDimensionFromString("").has_value());
}

}  // namespace
}  // namespace gosline::stats
