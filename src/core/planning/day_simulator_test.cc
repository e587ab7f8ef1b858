#include "core/planning/day_simulator.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "core/planning/erlang.h"

namespace gosline::planning {
namespace {

using namespace std::chrono_literals;

const Time kStart = FromUnixMillis(1'767'225'600'000);  // 2026-01-01 00:00 UTC

routing::RoutingTopology OneQueue() {
  routing::RoutingTopology t;
  t.languages = {"ru"};
  t.topics = {{"certificates", false}};
  t.centres = {"federal"};
  t.queues = {{"federal-certificates", "certificates", "federal"}};
  return t;
}

// `n` identical operators on one skill, no wrap-up, picking up at once:
// the Erlang A model, run through the real router.
SimulationInput Single(uint32_t n, Duration span) {
  SimulationInput in;
  in.topology = OneQueue();
  in.config.settings.wrap_up = 0s;
  in.config.settings.no_answer = 3600s;
  in.config.settings.default_handle_time = 180s;
  for (uint32_t i = 0; i < n; ++i) {
    const std::string id = "op" + std::to_string(i);
    in.config.operators.push_back({id, id, {{"certificates", 5}}, {"ru"}, {}, "federal"});
    in.shifts.push_back({id, kStart - 1h, kStart + span + 24h});
  }
  in.answer_delay = 0s;
  return in;
}

TEST(DaySimulatorTest, AgreesWithErlangAOnASingleSkill) {
  // 100 calls per 30 minutes, 180 s handle, 120 s patience: 10 erlangs.
  const Duration span = 96h;
  for (uint32_t n : {10u, 12u}) {
    SimulationInput in = Single(n, span);
    in.calls = GenerateCalls(kStart, 15min, std::vector<double>(96 * 4, 50.0),
                             {.topic = "certificates", .handle_seconds = 180,
                              .patience_seconds = 120},
                             7);
    ASSERT_GT(in.calls.size(), 18'000u);
    auto report = SimulateDay(in);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    const IntervalFigures& t = report->total;
    EXPECT_EQ(t.offered, in.calls.size());
    EXPECT_EQ(t.answered + t.abandoned + report->unanswered_at_end, t.offered);

    auto erlang = Evaluate({.calls = 100, .interval_seconds = 1800, .handle_seconds = 180,
                            .patience_seconds = 120.0},
                           n, 30);
    ASSERT_TRUE(erlang.ok());
    // Within 0.03: the simulation is one sample of ~19,000 calls.
    EXPECT_NEAR(*t.ServiceLevel(), erlang->service_level, 0.03) << n << " operators";
    std::printf("%u operators: simulated SL %.3f abandon %.3f ASA %.1f s; Erlang A SL %.3f abandon %.3f ASA %.1f s\n", n, *t.ServiceLevel(), *t.AbandonRate(), *t.AverageAnswerSeconds(), erlang->service_level, erlang->abandon_rate, erlang->average_answer_seconds);
    EXPECT_NEAR(*t.AbandonRate(), erlang->abandon_rate, 0.02) << n << " operators";
    EXPECT_NEAR(*t.AverageAnswerSeconds(), erlang->average_answer_seconds,
                0.15 * erlang->average_answer_seconds + 1)
        << n << " operators";
  }
}

TEST(DaySimulatorTest, ReportsPerIntervalAndComparesRosters) {
  // A morning peak: 20 calls per 15 min, then 80 for two hours, then 20.
  std::vector<double> profile(16, 20.0);
  for (size_t i = 4; i < 12; ++i) profile[i] = 80.0;
  auto calls = GenerateCalls(kStart, 15min, profile,
                             {.topic = "certificates", .handle_seconds = 120,
                              .patience_seconds = 90},
                             11);
  auto run = [&](uint32_t base, uint32_t peak_extra) {
    SimulationInput in = Single(base + peak_extra, 4h);
    in.shifts.clear();
    for (uint32_t i = 0; i < base + peak_extra; ++i) {
      const std::string id = "op" + std::to_string(i);
      // The extra operators only work the peak.
      if (i < base) {
        in.shifts.push_back({id, kStart, kStart + 4h});
      } else {
        in.shifts.push_back({id, kStart + 1h, kStart + 3h});
      }
    }
    in.calls = calls;
    auto r = SimulateDay(in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  };
  const SimulationReport flat = run(4, 0);
  const SimulationReport peaked = run(4, 8);
  ASSERT_GE(flat.intervals.size(), 16u);
  EXPECT_EQ(flat.intervals[0].start, kStart);
  EXPECT_EQ(flat.intervals[1].start, kStart + 15min);
  // 4 operators carry the quiet hours but not the peak; 8 more for the peak help.
  EXPECT_GT(*flat.intervals[1].ServiceLevel(), 0.6);
  EXPECT_LT(*flat.intervals[8].ServiceLevel(), 0.5);
  EXPECT_GT(*peaked.intervals[8].ServiceLevel(), *flat.intervals[8].ServiceLevel() + 0.3);
  EXPECT_LT(*peaked.total.AbandonRate(), *flat.total.AbandonRate());
  // Occupancy is near 1 in the flat roster's peak and lower with the extra staff.
  EXPECT_GT(*flat.intervals[8].Occupancy(), 0.9);
  EXPECT_LT(*peaked.intervals[1].Occupancy(), *flat.intervals[8].Occupancy());
  // Staffed time: 4 operators x 15 min in a quiet interval.
  EXPECT_NEAR(flat.intervals[1].staffed_seconds, 4 * 900, 1e-6);
}

TEST(DaySimulatorTest, OpenCasesAreAnsweredSoonerUnderLoad) {
  SimulationInput in = Single(9, 24h);
  in.config.settings.open_case_weight = 60s;
  in.calls = GenerateCalls(kStart, 15min, std::vector<double>(96, 50.0),
                           {.topic = "certificates", .handle_seconds = 180,
                            .patience_seconds = 600, .open_case_share = 0.3},
                           5);
  auto report = SimulateDay(in);
  ASSERT_TRUE(report.ok());
  const IntervalFigures& all = report->total;
  const IntervalFigures& open = report->open_cases;
  EXPECT_EQ(all.answered + all.abandoned + report->unanswered_at_end, all.offered);
  ASSERT_GT(open.answered, 500u);
  // The others: everything less the open cases.
  const double others_asa = (all.answer_wait_seconds - open.answer_wait_seconds) /
                            static_cast<double>(all.answered - open.answered);
  // Their 60 s of extra weight puts them ahead of callers who came up to a
  // minute earlier: they are answered tens of seconds sooner on average.
  EXPECT_LT(*open.AverageAnswerSeconds(), others_asa - 20)
      << "open cases " << *open.AverageAnswerSeconds() << " s, others " << others_asa << " s";
  EXPECT_GT(*open.ServiceLevel(), *all.ServiceLevel());
}

TEST(DaySimulatorTest, RefusesWhatTheConfigurationDoesNotKnow) {
  SimulationInput in = Single(1, 1h);
  in.shifts.push_back({"nobody", kStart, kStart + 1h});
  EXPECT_EQ(SimulateDay(in).status().field(), "shifts");

  SimulationInput bad_topic = Single(1, 1h);
  bad_topic.calls.push_back({.arrival = kStart, .topic = "astrology", .handle = 60s,
                             .patience = 60s});
  EXPECT_EQ(SimulateDay(bad_topic).status().field(), "calls");

  SimulationInput backwards = Single(1, 1h);
  backwards.shifts[0].end = backwards.shifts[0].start - 1s;
  EXPECT_EQ(SimulateDay(backwards).status().field(), "shifts");
}

TEST(DaySimulatorTest, GeneratedCallsFollowTheForecastAndTheSeed) {
  const std::vector<double> forecast = {100, 0, 300};
  const CallProfile profile{.topic = "certificates"};
  auto a = GenerateCalls(kStart, 15min, forecast, profile, 1);
  auto b = GenerateCalls(kStart, 15min, forecast, profile, 1);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].arrival, b[i].arrival);
  size_t per[3] = {0, 0, 0};
  for (const auto& c : a) ++per[(c.arrival - kStart) / 15min];
  EXPECT_NEAR(per[0], 100, 40);
  EXPECT_EQ(per[1], 0u);
  EXPECT_NEAR(per[2], 300, 70);
}

}  // namespace
}  // namespace gosline::planning
