// Capacity planning benchmark, one core:
//
//   build/release/bench/gosline_planning_bench
//
// BM_SimulateDay: one day of 1,000,000 calls over 20 topics (a daily curve
// peaking at 11:00), 5,000 operators with 4 skills each on two shifts,
// through planning::SimulateDay and so the real routing core. Goal: < 10 s.
// BM_StaffingErlangA: operators needed for 80% in 30 s at 20,000 erlangs
// with abandonment (the largest line the sizing table considers).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/planning/day_simulator.h"
#include "core/planning/erlang.h"

namespace gosline::planning {
namespace {

using namespace std::chrono_literals;

constexpr int kTopics = 20;
constexpr int kOperators = 5'000;
constexpr double kCallsPerDay = 1'000'000;
const Time kStart = FromUnixMillis(1'767'225'600'000);

std::string Topic(int t) { return "topic" + std::to_string(t); }

SimulationInput Day() {
  SimulationInput in;
  in.topology.languages = {"ru"};
  in.topology.centres = {"federal"};
  for (int t = 0; t < kTopics; ++t) {
    in.topology.topics.push_back({Topic(t), false});
    in.topology.queues.push_back({"federal-" + Topic(t), Topic(t), "federal"});
  }
  in.config.settings.wrap_up = 10s;
  for (int i = 0; i < kOperators; ++i) {
    const std::string id = "op" + std::to_string(i);
    std::map<std::string, int> skills;
    for (int k = 0; k < 4; ++k) skills[Topic((i + k * 5) % kTopics)] = 5 + k;
    in.config.operators.push_back({id, id, skills, {"ru"}, {}, "federal"});
    // Two overlapping shifts: 07:00-16:00 and 12:00-21:00, a tenth at night.
    if (i % 10 == 0) {
      in.shifts.push_back({id, kStart, kStart + 24h});
    } else if (i % 2 == 0) {
      in.shifts.push_back({id, kStart + 7h, kStart + 16h});
    } else {
      in.shifts.push_back({id, kStart + 12h, kStart + 21h});
    }
  }
  // A daily curve: quiet at night, a peak at 11:00 and a smaller one at 15:00.
  std::vector<double> shape(96);
  double sum = 0;
  for (int i = 0; i < 96; ++i) {
    const double h = i / 4.0;
    shape[i] = 0.05 + std::exp(-std::pow((h - 11) / 2.5, 2)) + 0.7 * std::exp(-std::pow((h - 15) / 2, 2));
    sum += shape[i];
  }
  for (int t = 0; t < kTopics; ++t) {
    std::vector<double> per(96);
    for (int i = 0; i < 96; ++i) per[i] = kCallsPerDay / kTopics * shape[i] / sum;
    auto calls = GenerateCalls(kStart, 15min, per,
                               {.topic = Topic(t), .handle_seconds = 150, .patience_seconds = 120},
                               1000 + t);
    in.calls.insert(in.calls.end(), calls.begin(), calls.end());
  }
  return in;
}

void BM_SimulateDay(benchmark::State& state) {
  const SimulationInput in = Day();
  for (auto _ : state) {
    auto report = SimulateDay(in);
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    state.counters["calls"] = static_cast<double>(report->total.offered);
    state.counters["service_level"] = report->total.ServiceLevel().value_or(0);
    state.counters["abandon_rate"] = report->total.AbandonRate().value_or(0);
  }
}
BENCHMARK(BM_SimulateDay)->Unit(benchmark::kSecond)->Iterations(1);

void BM_StaffingErlangA(benchmark::State& state) {
  const OfferedLoad load{.calls = 100'000, .interval_seconds = 900, .handle_seconds = 180,
                         .patience_seconds = 90.0};
  for (auto _ : state) {
    auto f = OperatorsNeeded(load, {.service_level = 0.8, .within_seconds = 30,
                                    .max_abandon_rate = 0.02});
    benchmark::DoNotOptimize(f);
    if (f.ok()) state.counters["operators"] = f->operators;
  }
}
BENCHMARK(BM_StaffingErlangA)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gosline::planning

BENCHMARK_MAIN();
