// Routing core benchmark: 10,000 operators, 50 skills
// (topics) and 100,000 waiting calls, on one core.
//
//   build/routing-rel/bench/gosline_routing_bench
//
// BM_OperatorFreesUp is the steady state of an overloaded line: every
// operator is on a call and 100,000 callers wait. Each step one operator
// hangs up (no wrap-up) and at once takes the best waiting call of their
// skills (the decision, timed on its own), answers it, and a new caller
// arrives; every tenth step a waiting caller abandons and another arrives.
// events_per_s counts the time inside the router's event calls only;
// loop_events_per_s the whole loop (dispatching and this file's bookkeeping
// too), per wall second; loop_events_per_cpu_s per second of this thread's
// CPU time, the figure for one core when the machine is shared.
// Overflow timers fire as simulated time passes. Goals: p99 decision < 20 us,
// >= 500,000 routing events/s.
//
// BM_CallFindsOperator is the opposite: most operators free, each arriving
// call picks the best of them. BM_NumberingLookup: calling number -> region.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/numbering/numbering_plan.h"
#include "core/routing/router.h"

namespace gosline::routing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kOperators = 10'000;
constexpr int kTopics = 50;
constexpr int kRegionalTopics = 10;  // topics 0..9, queued at every centre
constexpr int kWaiting = 100'000;
const char* const kCentres[] = {"federal", "kazan", "novosibirsk", "ekaterinburg", "vladivostok"};
const char* const kRegions[] = {"16", "54", "66", "25", "77", "78", "50", "02", "63", "24"};
const Time kStart = FromUnixMillis(1'767'258'000'000);

std::string TopicId(int t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "topic%02d", t);
  return buf;
}
std::string QueueId(int t, const char* centre) { return std::string(centre) + "-" + TopicId(t); }

RoutingTopology Topology() {
  RoutingTopology t;
  t.languages = {"ru", "en"};
  for (const char* c : kCentres) t.centres.push_back(c);
  for (int i = 0; i < kTopics; ++i) {
    t.topics.push_back({TopicId(i), i < kRegionalTopics});
    t.queues.push_back({QueueId(i, "federal"), TopicId(i), "federal"});
    if (i < kRegionalTopics) {
      for (int c = 1; c < 5; ++c) t.queues.push_back({QueueId(i, kCentres[c]), TopicId(i), kCentres[c]});
    }
  }
  for (int r = 0; r < 10; ++r) t.region_centres[kRegions[r]] = r < 4 ? kCentres[r + 1] : "";
  return t;
}

// 80% of operators federal with 3-5 skills of any topic, 20% regional with
// 2-3 regional topics; a few region specialists; 15% also speak English.
RoutingConfig Config(std::mt19937& rng) {
  RoutingConfig config;
  config.settings.wrap_up = 0s;
  config.settings.no_answer = 20s;
  config.settings.open_case_weight = 60s;
  config.settings.promote_after = 600s;
  for (int i = 0; i < kOperators; ++i) {
    OperatorProfile op;
    op.id = "op" + std::to_string(i);
    const bool regional = i % 5 == 0;
    op.centre = regional ? kCentres[1 + rng() % 4] : "federal";
    const int skills = regional ? 2 + int(rng() % 2) : 3 + int(rng() % 3);
    while (int(op.skills.size()) < skills) {
      const int topic = regional ? int(rng() % kRegionalTopics) : int(rng() % kTopics);
      op.skills[TopicId(topic)] = 1 + int(rng() % 10);
    }
    op.languages = {"ru"};
    if (rng() % 100 < 15) op.languages.push_back("en");
    if (!regional && rng() % 100 < 3) op.regions = {kRegions[4 + rng() % 6]};
    config.operators.push_back(std::move(op));
  }
  for (int t = 0; t < kRegionalTopics; ++t) {
    for (int c = 1; c < 5; ++c) {
      config.overflow.push_back({QueueId(t, kCentres[c]),
                                 {{60s, {}, {}, {OverflowTarget::Kind::kCentre, "federal"}}}});
    }
  }
  for (int t = 40; t < 49; ++t) {  // busy national queues spill to the general one
    config.overflow.push_back(
        {QueueId(t, "federal"), {{{}, 900s, {}, {OverflowTarget::Kind::kQueue, QueueId(49, "federal")}}}});
  }
  return config;
}

CallArrival NewCall(CallId id, std::mt19937& rng) {
  CallArrival c;
  c.id = id;
  // Popular topics get more calls: the square of a uniform number.
  const double u = double(rng() % 10'000) / 10'000.0;
  c.topic = TopicId(int(u * u * kTopics));
  c.language = rng() % 100 < 5 ? "en" : "ru";
  c.caller_region = kRegions[rng() % 10];
  c.has_open_case = rng() % 100 < 20;
  return c;
}

void Check(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "routing event failed: %s\n", s.ToString().c_str());
    std::abort();
  }
}

// CPU time of this thread: on a shared machine, throughput per core is
// events per CPU second, not per wall second.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

int64_t Percentile(std::vector<int64_t>& ns, double p) {
  if (ns.empty()) return 0;
  const size_t k = std::min(ns.size() - 1, size_t(p * double(ns.size())));
  std::nth_element(ns.begin(), ns.begin() + long(k), ns.end());
  return ns[k];
}

// "op123" -> 123, without allocating (it runs for every offer).
size_t OperatorIndex(std::string_view id) {
  size_t n = 0;
  for (char ch : id.substr(2)) n = n * 10 + size_t(ch - '0');
  return n;
}

// The offers among the decisions: operator -> call, answered at once.
void AnswerOffers(Router& r, const std::vector<Decision>& decisions, Time t,
                  std::vector<CallId>& connected_of) {
  for (const Decision& d : decisions) {
    if (d.kind != DecisionKind::kOffer) continue;
    Check(r.OnCallAnswered(d.call, t));
    connected_of[OperatorIndex(d.operator_id)] = d.call;
  }
}

void BM_OperatorFreesUp(benchmark::State& state) {
  std::mt19937 rng(42);
  Result<Router> created = Router::Create(Topology(), Config(rng));
  Check(created.status());
  Router& r = *created;
  std::vector<Decision> decisions;
  std::vector<CallId> connected_of(kOperators, 0);
  Time t = kStart;
  for (int i = 0; i < kOperators; ++i) Check(r.OnOperatorState("op" + std::to_string(i), OperatorState::kReady, t));
  // Callers arrive 10 ms apart (so their overflow timers spread out); the
  // first ones are taken and answered, the rest wait.
  CallId next_id = 1;
  std::vector<CallId> waiting;  // may hold calls no longer waiting; checked when used
  while (r.calls() < size_t(kOperators + kWaiting)) {
    t += 10ms;
    waiting.push_back(next_id);
    Check(r.OnCallEnqueued(NewCall(next_id++, rng), t));
    r.DispatchInto(t, decisions);
    AnswerOffers(r, decisions, t, connected_of);
  }
  std::vector<int> busy;
  for (int i = 0; i < kOperators; ++i) {
    if (connected_of[size_t(i)] != 0) busy.push_back(i);
  }
  std::vector<int64_t> decision_ns, event_ns;
  decision_ns.reserve(size_t(state.max_iterations));
  event_ns.reserve(size_t(state.max_iterations) * 4);
  int64_t events = 0;
  auto timed = [&](auto&& event) {
    const auto begin = Clock::now();
    event();
    const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count();
    event_ns.push_back(ns);
    ++events;
    return ns;
  };
  size_t step = 0;
  const double cpu_start = ThreadCpuSeconds();
  for (auto _ : state) {
    t += 1ms;
    // An operator hangs up and takes the best waiting call of their skills.
    const size_t pick = rng() % busy.size();
    const int op = busy[pick];
    const CallId ended = connected_of[size_t(op)];
    connected_of[size_t(op)] = 0;
    decision_ns.push_back(timed([&] { Check(r.OnCallEnded(ended, t)); }));
    // Their new call is answered; timers that fell due may have made more offers.
    r.DispatchInto(t, decisions);
    for (const Decision& d : decisions) {
      if (d.kind != DecisionKind::kOffer) continue;
      timed([&] { Check(r.OnCallAnswered(d.call, t)); });
      connected_of[OperatorIndex(d.operator_id)] = d.call;
    }
    if (connected_of[size_t(op)] == 0) busy.erase(busy.begin() + long(pick));  // nothing for their skills
    // A caller arrives to keep the line full; now and then one gives up.
    const CallId id = next_id++;
    CallArrival call = NewCall(id, rng);
    timed([&] { Check(r.OnCallEnqueued(std::move(call), t)); });
    waiting.push_back(id);
    if (++step % 10 == 0) {
      for (int tries = 0; tries < 8; ++tries) {
        const size_t at = rng() % waiting.size();
        const CallId victim = waiting[at];
        if (r.CallStateOf(victim) != CallState::kWaiting) {
          waiting[at] = waiting.back();  // gone or taken: forget it
          waiting.pop_back();
          continue;
        }
        timed([&] { Check(r.OnCallAbandoned(victim, t).status()); });
        const CallId replacement = next_id++;  // and another caller takes their place
        CallArrival again = NewCall(replacement, rng);
        timed([&] { Check(r.OnCallEnqueued(std::move(again), t)); });
        waiting.push_back(replacement);
        break;
      }
    }
    r.DispatchInto(t, decisions);
    AnswerOffers(r, decisions, t, connected_of);
  }
  const double cpu_seconds = ThreadCpuSeconds() - cpu_start;
  state.counters["p50_decision_us"] = double(Percentile(decision_ns, 0.50)) / 1000.0;
  state.counters["p99_decision_us"] = double(Percentile(decision_ns, 0.99)) / 1000.0;
  state.counters["max_decision_us"] = double(*std::max_element(decision_ns.begin(), decision_ns.end())) / 1000.0;
  state.counters["p99_event_us"] = double(Percentile(event_ns, 0.99)) / 1000.0;
  int64_t event_total_ns = 0;
  for (int64_t ns : event_ns) event_total_ns += ns;
  // Events per second of time spent inside the router (the benchmark's own
  // bookkeeping excluded), and over the whole loop.
  state.counters["events_per_s"] = double(events) / (double(event_total_ns) / 1e9);
  state.counters["loop_events_per_s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
  state.counters["loop_events_per_cpu_s"] = double(events) / cpu_seconds;
  state.counters["waiting_at_end"] = double(r.calls() - busy.size());
}
BENCHMARK(BM_OperatorFreesUp)->Iterations(300'000)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_CallFindsOperator(benchmark::State& state) {
  std::mt19937 rng(7);
  Result<Router> created = Router::Create(Topology(), Config(rng));
  Check(created.status());
  Router& r = *created;
  std::vector<Decision> decisions;
  Time t = kStart;
  for (int i = 0; i < kOperators; ++i) Check(r.OnOperatorState("op" + std::to_string(i), OperatorState::kReady, t));
  std::vector<int64_t> ns;
  ns.reserve(size_t(state.max_iterations));
  CallId next_id = 1;
  for (auto _ : state) {
    t += 1ms;
    CallArrival call = NewCall(next_id++, rng);
    const auto begin = Clock::now();
    Check(r.OnCallEnqueued(std::move(call), t));
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count());
    r.DispatchInto(t, decisions);
    for (const Decision& d : decisions) {  // a short call: the operator is free again
      if (d.kind != DecisionKind::kOffer) continue;
      Check(r.OnCallAnswered(d.call, t));
      Check(r.OnCallEnded(d.call, t));
    }
  }
  state.counters["p99_decision_us"] = double(Percentile(ns, 0.99)) / 1000.0;
  state.counters["p50_decision_us"] = double(Percentile(ns, 0.50)) / 1000.0;
}
BENCHMARK(BM_CallFindsOperator)->Iterations(200'000)->Unit(benchmark::kMicrosecond)->UseRealTime();

// A register the size of the real one (about 400,000 ranges).
void BM_NumberingLookup(benchmark::State& state) {
  std::vector<numbering::NumberingRange> ranges;
  numbering::RegionNameMap names;
  // Distinct made-up names: Add cannot refuse them, and the lookups do not depend on them.
  for (int r = 0; r < 85; ++r) {
    names.Add("Регион " + std::to_string(r), std::to_string(10 + r)).IgnoreError();
  }
  for (int code = 300; code < 1000 && ranges.size() < 400'000; ++code) {
    for (uint32_t block = 0; block < 1000 && ranges.size() < 400'000; block += 2) {
      ranges.push_back({code, block * 10'000, block * 10'000 + 9'999, "Оператор " + std::to_string(block % 7),
                        "Регион " + std::to_string((code + block) % 85), 0});
    }
  }
  Result<numbering::NumberingPlan> plan = numbering::NumberingPlan::Build(std::move(ranges), names);
  Check(plan.status());
  std::mt19937 rng(3);
  std::vector<std::string> numbers;
  for (int i = 0; i < 4096; ++i) {
    numbers.push_back("+7" + std::to_string(3'000'000'000ULL + (uint64_t(rng()) * 7919ULL) % 7'000'000'000ULL));
  }
  size_t i = 0, found = 0;
  for (auto _ : state) {
    auto info = plan->Lookup(numbers[i++ & 4095]);
    found += info.has_value();
    benchmark::DoNotOptimize(info);
  }
  state.counters["lookups_per_s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["hit_ratio"] = double(found) / double(state.iterations());
}
BENCHMARK(BM_NumberingLookup);

}  // namespace
}  // namespace gosline::routing

BENCHMARK_MAIN();
