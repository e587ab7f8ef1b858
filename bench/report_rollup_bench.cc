// Historical reports benchmark (R18): a month (30 days) of 3,000,000 calls in
// SQLite, rolled up by SqliteReportRollupStore, then the reports the
// interval route serves, for every grouping over the whole month.
//
//   GOSLINE_BENCH_ROLLUP_DB=/tmp/gosline-bench-rollups.db build/bench-rel/bench/gosline_report_rollup_bench
//
// The call records are written once (the file is reused by later runs); the
// first benchmark times the catch-up that rolls the whole month up, from
// the marks the triggers left. Goal: p99 of a report over the month < 200 ms
// (counters p50_ms and p99_ms, over kSamples runs of each report).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_report_rollup_store.h"

namespace gosline {
namespace {

constexpr int64_t kCalls = 3'000'000;
constexpr int64_t kCallers = 1'200'000;  // some call again within the week
constexpr int kSamples = 100;
const Time kMonthStart = *ParseIso8601("2026-10-31T21:00:00Z");  // 1 November, Moscow
const Duration kMonth = std::chrono::hours(24 * 30);

const char* const kTopics[] = {"registration", "certificates", "tech_support", "pensions",
                               "taxes",        "licences",     "application_status", "other"};
const char* const kRegions[] = {"77", "78", "50", "23", "16", "66", "54", "02", "61", "24"};
const char* const kLines[] = {"115", "122", "88001000115"};

std::string DbPath() {
  const char* env = std::getenv("GOSLINE_BENCH_ROLLUP_DB");
  return env != nullptr && *env != '\0' ? env : "/tmp/gosline-bench-rollups.db";
}

// Writes the month of calls unless the file already holds it. Daytime
// calls are denser, as on the line.
void FillOnce(const std::string& path) {
  auto conn = std::move(sqlite::SqliteConnection::Open(path, {})).value();
  if (!sqlite::ApplyMigrations(*conn, kMonthStart).ok()) std::abort();
  if (std::stoll(conn->QueryText("SELECT COUNT(*) FROM call_records").value()) >= kCalls) return;
  (void)conn->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  std::mt19937_64 rng(42);
  const int64_t span_ms = kMonth.count();
  for (int64_t done = 0; done < kCalls;) {
    auto tx = std::move(sqlite::Transaction::Begin(*conn, sqlite::Transaction::Kind::kWrite)).value();
    for (int64_t i = 0; i < 20'000 && done < kCalls; ++i, ++done) {
      auto st = std::move(conn->Prepare(
          "INSERT INTO call_records (call_id, from_number, caller_e164, caller_hmac, dialled, region, "
          "started_at_ms, answered_at_ms, ended_at_ms, end_reason, sip_status, language, ivr_path, "
          "topic, queue, case_number, digits, prompts, ivr_end, operator_id, wait_ms, talk_ms, "
          "wrap_up_ms, outcome) VALUES (?1, ?2, ?2, ?2, ?3, ?4, ?5, ?5 + 500, ?5 + 400000, "
          "'caller_hangup', 200, 'ru', 'greeting main', ?6, ?7, '', '', '', ?8, ?9, ?10, ?11, ?12, ?13)"))
                    .value();
      // Start: day index uniform, time of day weighted to 08-20 local.
      const int64_t day = static_cast<int64_t>(rng() % 30);
      const bool busy_hours = rng() % 10 < 8;
      const int64_t in_day = busy_hours ? (8 * 3600 + static_cast<int64_t>(rng() % (12 * 3600)))
                                        : static_cast<int64_t>(rng() % (24 * 3600));
      const int64_t started = ToUnixMillis(kMonthStart) + std::min(span_ms - 1, (day * 86400 + in_day) * 1000);
      char caller[24];
      std::snprintf(caller, sizeof caller, "+7916%07lld", static_cast<long long>(rng() % kCallers));
      const std::string topic = kTopics[rng() % std::size(kTopics)];
      const bool ivr_only = rng() % 10 == 0;
      const int kind = static_cast<int>(rng() % 100);
      const std::string outcome = ivr_only ? "" : kind < 85 ? "answered" : kind < 97 ? "abandoned" : "callback";
      const std::string call_id = "b" + std::to_string(done);
      const std::string queue = ivr_only ? std::string() : "federal-" + topic;
      const std::string op = outcome == "answered" ? "op-" + std::to_string(rng() % 3000) : std::string();
      st.Bind(1, std::string_view(call_id));
      st.Bind(2, std::string_view(caller));
      st.Bind(3, std::string_view(kLines[rng() % std::size(kLines)]));
      st.Bind(4, std::string_view(kRegions[rng() % std::size(kRegions)]));
      st.Bind(5, started);
      st.Bind(6, std::string_view(topic));
      st.Bind(7, std::string_view(queue));
      st.Bind(8, std::string_view(ivr_only ? "completed" : "queued"));
      st.Bind(9, std::string_view(op));
      st.Bind(10, ivr_only ? std::optional<int64_t>() : std::optional<int64_t>(static_cast<int64_t>(rng() % 120'000)));
      st.Bind(11, outcome == "answered" ? std::optional<int64_t>(static_cast<int64_t>(60'000 + rng() % 600'000)) : std::nullopt);
      st.Bind(12, outcome == "answered" ? std::optional<int64_t>(static_cast<int64_t>(rng() % 120'000)) : std::nullopt);
      st.Bind(13, std::string_view(outcome));
      if (!st.Run().ok()) std::abort();
    }
    if (!tx.Commit().ok()) std::abort();
  }
}

std::unique_ptr<SqliteReportRollupStore>& Store() {
  static std::unique_ptr<SqliteReportRollupStore> store = [] {
    FillOnce(DbPath());
    return std::move(SqliteReportRollupStore::Open(DbPath(), {})).value();
  }();
  return store;
}

// Rolls the whole month up from the triggers' marks (on a reused file: from
// a Rebuild of the month, the same work).
void BM_RollUpTheMonth(benchmark::State& state) {
  auto& store = Store();
  for (auto _ : state) {
    Result<size_t> n = store->CatchUp();
    if (n.ok() && *n == 0) n = store->Rebuild(kMonthStart, kMonthStart + kMonth);
    if (!n.ok()) state.SkipWithError(n.status().ToString().c_str());
    state.counters["intervals"] = static_cast<double>(n.ok() ? *n : 0);
  }
  state.counters["calls"] = static_cast<double>(kCalls);
}
BENCHMARK(BM_RollUpTheMonth)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// One report as the route serves it: catch-up (nothing to do), the line's
// figures over time, the dimension's rows, the totals per key.
void BM_MonthReport(benchmark::State& state) {
  auto& store = Store();
  const auto bucket = static_cast<stats::ReportBucket>(state.range(0));
  const auto dimension = static_cast<stats::RollupDimension>(state.range(1));
  // 15-minute reports cover the longest range the route allows (31 days);
  // the month fits every grouping.
  RollupQuery q{.from = kMonthStart, .to = kMonthStart + kMonth, .dimension = dimension,
                .bucket = bucket};
  std::vector<double> ms;
  for (auto _ : state) {
    for (int i = 0; i < kSamples; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      if (!store->CatchUp().ok()) state.SkipWithError("catch-up");
      RollupQuery total = q;
      total.dimension = stats::RollupDimension::kTotal;
      auto over_time = store->Read(total);
      auto rows = store->Read(q);
      if (!over_time.ok() || !rows.ok()) {
        state.SkipWithError("read");
        break;
      }
      auto by_key = stats::TotalsByKey(*rows, q.from);
      benchmark::DoNotOptimize(by_key);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      state.counters["rows"] = static_cast<double>(rows->size());
    }
  }
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}
BENCHMARK(BM_MonthReport)
    ->ArgsProduct({{static_cast<int64_t>(stats::ReportBucket::k15Minutes),
                    static_cast<int64_t>(stats::ReportBucket::kHour),
                    static_cast<int64_t>(stats::ReportBucket::kDay),
                    static_cast<int64_t>(stats::ReportBucket::kWeek),
                    static_cast<int64_t>(stats::ReportBucket::kMonth)},
                   {static_cast<int64_t>(stats::RollupDimension::kTotal),
                    static_cast<int64_t>(stats::RollupDimension::kQueue),
                    static_cast<int64_t>(stats::RollupDimension::kRegion),
                    static_cast<int64_t>(stats::RollupDimension::kOperator)}})
    ->ArgNames({"bucket", "dimension"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace gosline

BENCHMARK_MAIN();
