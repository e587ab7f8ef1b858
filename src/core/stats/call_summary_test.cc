#include "core/stats/call_summary.h"

#include <gtest/gtest.h>

namespace gosline::stats {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kDay = *ParseIso8601("2026-12-01T06:00:00Z");  // 09:00 Moscow

ReportCall Call(Time at, std::string queue, std::string outcome, std::optional<Duration> wait,
                std::string caller = "", std::optional<Duration> talk = std::nullopt,
                std::optional<Duration> wrap = std::nullopt) {
  ReportCall c;
  c.started = at;
  c.queue = std::move(queue);
  c.topic = c.queue.empty() ? "" : "topic-" + c.queue;
  c.region = "77";
  c.caller = std::move(caller);
  c.outcome = std::move(outcome);
  c.wait = wait;
  c.talk = talk;
  c.wrap_up = wrap;
  return c;
}

ReportOptions Day(ReportGrouping g = ReportGrouping::kQueue) {
  ReportOptions o;
  o.from = kDay - hours(6);
  o.to = kDay + hours(18);
  o.group_by = g;
  return o;
}

TEST(CallSummaryTest, CountsServiceLevelWaitAndHandleTime) {
  std::vector<ReportCall> calls = {
      Call(kDay, "pension", "answered", seconds(10), "", minutes(4), minutes(1)),
      Call(kDay + minutes(1), "pension", "answered", seconds(40), "", minutes(2)),
      Call(kDay + minutes(2), "pension", "abandoned", seconds(50)),
      Call(kDay + minutes(3), "pension", "abandoned", seconds(3)),  // short: not abandoned
      Call(kDay + minutes(4), "tax", "answered", seconds(20), "", minutes(6)),
      Call(kDay + minutes(5), "", "", std::nullopt),  // never reached a queue (IVR only)
  };
  ReportSummary s = Summarize(calls, Day());
  ASSERT_EQ(s.groups.size(), 3u);
  EXPECT_EQ(s.groups[0].key, "(none)");
  const ReportFigures& p = s.groups[1];
  EXPECT_EQ(p.key, "pension");
  EXPECT_EQ(p.calls, 4u);
  EXPECT_EQ(p.offered, 4u);
  EXPECT_EQ(p.answered, 2u);
  EXPECT_EQ(p.abandoned, 1u);
  EXPECT_EQ(p.short_abandoned, 1u);
  EXPECT_EQ(p.answered_in_sl, 1u);
  EXPECT_DOUBLE_EQ(*p.service_level, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*p.abandon_rate, 1.0 / 3.0);
  EXPECT_EQ(*p.avg_wait, seconds(25));
  EXPECT_EQ(*p.avg_handle_time, seconds((5 * 60 + 2 * 60) / 2));
  EXPECT_EQ(s.total.key, "total");
  EXPECT_EQ(s.total.calls, 6u);
  EXPECT_EQ(s.total.offered, 5u);
  EXPECT_EQ(s.total.answered, 3u);
  EXPECT_DOUBLE_EQ(*s.total.service_level, 2.0 / 4.0);
  EXPECT_FALSE(s.groups[0].service_level.has_value());
}

TEST(CallSummaryTest, RepeatContactsAndFirstContactResolutionUseSevenDays) {
  std::vector<ReportCall> calls = {
      Call(kDay - hours(24 * 3), "pension", "answered", seconds(5), "A"),  // history only
      Call(kDay, "pension", "answered", seconds(5), "A"),      // repeat (3 days after)
      Call(kDay + hours(1), "pension", "answered", seconds(5), "B"),  // B calls again in 6 days
      Call(kDay + hours(2), "pension", "answered", seconds(5), "C"),  // C again after 8 days
      Call(kDay + hours(24 * 6), "pension", "answered", seconds(5), "B"),  // outside range
      Call(kDay + hours(24 * 8), "pension", "answered", seconds(5), "C"),
      Call(kDay + hours(3), "pension", "answered", seconds(5), ""),  // anonymous: resolved
  };
  ReportSummary s = Summarize(calls, Day());
  ASSERT_EQ(s.groups.size(), 1u);
  const ReportFigures& p = s.groups[0];
  EXPECT_EQ(p.calls, 4u);
  EXPECT_EQ(p.repeat_contacts, 1u);          // A
  EXPECT_EQ(p.resolved_first_contact, 3u);   // A (no later call), C, anonymous; not B
  EXPECT_DOUBLE_EQ(*p.first_contact_resolution, 3.0 / 4.0);
}

TEST(CallSummaryTest, GroupsByLocalHourTopicAndRegion) {
  std::vector<ReportCall> calls = {
      Call(kDay + minutes(5), "pension", "answered", seconds(5)),
      Call(kDay + minutes(59), "tax", "answered", seconds(5)),
      Call(kDay + minutes(60), "tax", "answered", seconds(5)),
  };
  ReportSummary h = Summarize(calls, Day(ReportGrouping::kHour));
  ASSERT_EQ(h.groups.size(), 2u);
  EXPECT_EQ(h.groups[0].key, "2026-12-01T09:00+03:00");
  EXPECT_EQ(h.groups[0].calls, 2u);
  EXPECT_EQ(h.groups[1].key, "2026-12-01T10:00+03:00");
  ReportSummary t = Summarize(calls, Day(ReportGrouping::kTopic));
  ASSERT_EQ(t.groups.size(), 2u);
  EXPECT_EQ(t.groups[1].key, "topic-tax");
  EXPECT_EQ(t.groups[1].answered, 2u);
  ReportSummary r = Summarize(calls, Day(ReportGrouping::kRegion));
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].key, "77");
}

TEST(CallSummaryTest, RangeIsHalfOpenAndValidated) {
  ReportOptions o = Day();
  std::vector<ReportCall> calls = {Call(o.from, "q", "answered", seconds(1)),
                                   Call(o.to, "q", "answered", seconds(1))};
  EXPECT_EQ(Summarize(calls, o).total.calls, 1u);
  EXPECT_TRUE(ValidateReportOptions(o).ok());
  ReportOptions bad = o;
  bad.to = bad.from;
  EXPECT_EQ(ValidateReportOptions(bad).field(), "from");
  bad.to = bad.from + hours(24 * 400);
  EXPECT_EQ(ValidateReportOptions(bad).field(), "to");
  EXPECT_EQ(ReportGroupingFromString("hour"), ReportGrouping::kHour);
  EXPECT_FALSE(ReportGroupingFromString("week").has_value());
}

TEST(CallSummaryTest, EmptyInputGivesEmptyFigures) {
  ReportSummary s = Summarize({}, Day());
  EXPECT_TRUE(s.groups.empty());
  EXPECT_EQ(s.total.calls, 0u);
  EXPECT_FALSE(s.total.service_level.has_value());
  EXPECT_FALSE(s.total.avg_wait.has_value());
}

}  // namespace
}  // namespace gosline::stats
