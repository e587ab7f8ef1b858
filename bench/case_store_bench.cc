// Case registry benchmark: SQLite with 1,000,000 cases,
// measured through the CaseStore interface.
//
//   GOSLINE_BENCH_DB=/tmp/gosline-bench-1m.db build/storage-rel/bench/gosline_case_store_bench
//
// The database is filled once (about a minute) and reused by later runs; the
// create benchmarks add to it, so it grows a little with every run. Goals on
// the 2-core reference machine: >= 10,000 creates/s, p99 lookup by phone < 1 ms.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/cases/case_number.h"
#include "storage/sqlite/sqlite_case_store.h"
#ifdef GOSLINE_BENCH_HAVE_SECURITY
#include "security/storage_row_cipher.h"
#endif

namespace gosline {
namespace {

constexpr int64_t kPopulation = 1'000'000;
constexpr int64_t kPhones = 250'000;  // about four cases per citizen phone
const Time kEpoch = FromUnixMillis(1'735'689'600'000);  // 2025-01-01

const char* const kTopics[] = {"registration", "certificates", "tech_support", "pensions",
                               "taxes",        "licences",     "application_status", "other"};
const char* const kRegions[] = {"77", "78", "50", "23", "16", "66", "54", "02", "61", "24"};
const char* const kAgencies[] = {"mintsifry", "fns", "sfr", "mvd", "rosreestr", "minzdrav"};

std::string DbPath() {
  const char* env = std::getenv("GOSLINE_BENCH_DB");
  return env != nullptr && *env != '\0' ? env : "/tmp/gosline-bench-1m.db";
}

std::string PhoneOf(int64_t k) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "+7916%07lld", static_cast<long long>(k % kPhones));
  return buf;
}

// A plausible case: i orders creation time (30 s apart: about a year).
Case SyntheticCase(int64_t i, std::mt19937_64& rng) {
  auto pick = [&rng](auto& list) { return list[rng() % std::size(list)]; };
  Case c;
  c.phone = PhoneOf(static_cast<int64_t>(rng() % kPhones));
  if (rng() % 3 == 0) c.portal_account_id = "esia-" + std::to_string(rng() % 10'000'000);
  c.channel = static_cast<Channel>(rng() % 4);
  c.topic = pick(kTopics);
  c.agency = pick(kAgencies);
  c.region = pick(kRegions);
  c.priority = static_cast<Priority>(rng() % 4);
  // Most of a year's cases are done; about a quarter still open.
  static constexpr CaseStatus kStatuses[] = {
      CaseStatus::kClosed, CaseStatus::kClosed,   CaseStatus::kResolved,   CaseStatus::kResolved,
      CaseStatus::kClosed, CaseStatus::kResolved, CaseStatus::kInProgress, CaseStatus::kNew};
  c.status = pick(kStatuses);
  c.summary = "Citizen asks about " + c.topic + ", request " + std::to_string(i);
  c.created_at = kEpoch + std::chrono::seconds(30 * i);
  c.updated_at = c.created_at + std::chrono::minutes(rng() % 600);
  if (c.status == CaseStatus::kEscalated) c.due_at = c.created_at + std::chrono::hours(24);
  c.history.push_back({0, c.created_at, "operator" + std::to_string(rng() % 300), "created",
                       "opened from a call"});
  for (int64_t h = 0, n = static_cast<int64_t>(rng() % 3); h < n; ++h) {
    c.history.push_back({0, c.updated_at, "operator" + std::to_string(rng() % 300), "note",
                         "called back, explained the procedure"});
  }
  if (c.channel == Channel::kCall) {
    c.links.push_back({"recording", "rec/" + std::to_string(i) + ".opus", c.created_at});
  }
  return c;
}

Result<std::unique_ptr<SqliteCaseStore>> OpenStore(SqliteSync sync, int max_group = 256) {
  SqliteOptions opts;
  opts.synchronous = sync;
  opts.max_group_commit = max_group;
#ifdef GOSLINE_BENCH_HAVE_SECURITY
  // Encryption at rest (R22) when GOSLINE_DATA_KEY holds a key ("k1:<64 hex>").
  if (const char* key = std::getenv(security::kDataKeyEnv); key != nullptr && *key != '\0') {
    static const auto cipher = security::StorageRowCipher::Load("");
    if (!cipher.ok()) return cipher.status();
    opts.cipher = *cipher;
  }
#endif
  return SqliteCaseStore::Open(DbPath(), opts);
}

// Fills the database to kPopulation cases unless an earlier run did.
bool Populate() {
  const std::string path = DbPath();
  {
    auto store = OpenStore(SqliteSync::kNormal);
    if (!store.ok()) {
      std::fprintf(stderr, "open %s: %s\n", path.c_str(), store.status().ToString().c_str());
      return false;
    }
    if ((*store)->GetByNumber(CaseNumber::FromSequence(kPopulation)).ok()) {
      std::fprintf(stderr, "reusing %s (>= %lld cases)\n", path.c_str(),
                   static_cast<long long>(kPopulation));
      return true;
    }
  }
  // Missing or partly filled (an interrupted run): start over.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = OpenStore(SqliteSync::kNormal);
  if (!store.ok()) return false;
  std::fprintf(stderr, "filling %s with %lld cases...\n", path.c_str(),
               static_cast<long long>(kPopulation));
  auto start = std::chrono::steady_clock::now();
  std::mt19937_64 rng(20251009);
  constexpr int64_t kChunk = 10'000;
  for (int64_t done = 0; done < kPopulation; done += kChunk) {
    std::vector<Case> batch;
    batch.reserve(kChunk);
    for (int64_t i = done; i < done + kChunk; ++i) batch.push_back(SyntheticCase(i, rng));
    Status st = (*store)->CreateBatch(batch);
    if (!st.ok()) {
      std::fprintf(stderr, "fill: %s\n", st.ToString().c_str());
      return false;
    }
    if ((done + kChunk) % 100'000 == 0) {
      std::fprintf(stderr, "  %lld\n", static_cast<long long>(done + kChunk));
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "filled in %.1f s (%.0f cases/s in batches of %lld)\n", s,
               static_cast<double>(kPopulation) / s, static_cast<long long>(kChunk));
  return true;
}

// The stores under test, opened once in main on the same file.
enum StoreKind { kNormalGrouped, kFullGrouped, kFullUngrouped, kStoreKinds };
std::unique_ptr<SqliteCaseStore> g_stores[kStoreKinds];
const char* const kStoreNames[] = {"sync:normal", "sync:full", "sync:full/no_group_commit"};

// Percentile counters from per-iteration latencies.
void ReportLatency(benchmark::State& state, std::vector<double>& us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  auto at = [&us](double q) {
    return us[std::min(us.size() - 1, static_cast<size_t>(q * static_cast<double>(us.size())))];
  };
  state.counters["p50_us"] = benchmark::Counter(at(0.50), benchmark::Counter::kAvgThreads);
  state.counters["p99_us"] = benchmark::Counter(at(0.99), benchmark::Counter::kAvgThreads);
  state.counters["max_us"] = benchmark::Counter(us.back(), benchmark::Counter::kAvgThreads);
}

template <typename F>
double TimeUs(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

std::atomic<int64_t> g_next_case{kPopulation * 10};

// Creates through the interface; arg 0 = which store (sync mode, grouping).
void BM_Create(benchmark::State& state) {
  SqliteCaseStore& store = *g_stores[state.range(0)];
  std::mt19937_64 rng(static_cast<uint64_t>(state.thread_index()) + 1);
  SqliteCaseStore::WriteStats before = store.write_stats();
  const double cpu_before = ProcessCpuSeconds();
  std::vector<double> us;
  for (auto _ : state) {
    Case c = SyntheticCase(g_next_case.fetch_add(1), rng);
    c.status = CaseStatus::kNew;
    Result<Case> r = Status::Internal("not run");
    us.push_back(TimeUs([&] { r = store.Create(c); }));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  ReportLatency(state, us);
  if (state.thread_index() == 0) {
    SqliteCaseStore::WriteStats after = store.write_stats();
    uint64_t tx = after.transactions - before.transactions;
    // Set by one thread only, so not averaged over threads.
    uint64_t writes = after.writes - before.writes;
    state.counters["writes_per_tx"] =
        tx ? static_cast<double>(writes) / static_cast<double>(tx) : 0;
    // CPU of the whole process (all threads, checkpointer included) per
    // create: independent of what else runs on the machine.
    state.counters["cpu_us_per_create"] =
        writes ? (ProcessCpuSeconds() - cpu_before) * 1e6 / static_cast<double>(writes) : 0;
  }
  state.SetLabel(kStoreNames[state.range(0)]);
}
BENCHMARK(BM_Create)->ArgName("store")->DenseRange(0, kStoreKinds - 1)
    ->Threads(1)->Threads(4)->Threads(16)->Threads(64)->UseRealTime()->MinTime(2.0);

void BM_FindByPhone(benchmark::State& state) {
  SqliteCaseStore& store = *g_stores[kFullGrouped];
  std::mt19937_64 rng(7 + static_cast<uint64_t>(state.thread_index()));
  std::vector<double> us;
  int64_t found = 0;
  for (auto _ : state) {
    std::string phone = PhoneOf(static_cast<int64_t>(rng() % kPhones));
    Result<std::vector<Case>> r = Status::Internal("not run");
    us.push_back(TimeUs([&] { r = store.FindByPhone(phone, 20); }));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    found += static_cast<int64_t>(r->size());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cases_per_lookup"] = benchmark::Counter(
      static_cast<double>(found) / static_cast<double>(std::max<int64_t>(1, state.iterations())),
      benchmark::Counter::kAvgThreads);
  ReportLatency(state, us);
}
BENCHMARK(BM_FindByPhone)->Threads(1)->Threads(2)->UseRealTime()->MinTime(2.0);

// Lookups by phone while a writer thread keeps creating cases (sync=full):
// the latency a call-centre operator sees during a busy hour.
void BM_FindByPhoneDuringWrites(benchmark::State& state) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> writes{0};
  std::thread writer([&] {
    std::mt19937_64 rng(99);
    while (!stop.load()) {
      Case c = SyntheticCase(g_next_case.fetch_add(1), rng);
      if (g_stores[kFullGrouped]->Create(c).ok()) writes.fetch_add(1);
    }
  });
  BM_FindByPhone(state);
  stop = true;
  writer.join();
  state.counters["background_creates"] = static_cast<double>(writes.load());
}
BENCHMARK(BM_FindByPhoneDuringWrites)->UseRealTime()->MinTime(2.0);

void BM_GetByNumber(benchmark::State& state) {
  SqliteCaseStore& store = *g_stores[kFullGrouped];
  std::mt19937_64 rng(11);
  std::vector<double> us;
  for (auto _ : state) {
    std::string number =
        CaseNumber::FromSequence(1 + static_cast<int64_t>(rng() % kPopulation));
    Result<Case> r = Status::Internal("not run");
    us.push_back(TimeUs([&] { r = store.GetByNumber(number); }));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  ReportLatency(state, us);
}
BENCHMARK(BM_GetByNumber)->UseRealTime()->MinTime(2.0);

// One page of 50 of a filtered search; arg 1 walks to the next page too.
void BM_SearchPage(benchmark::State& state) {
  SqliteCaseStore& store = *g_stores[kFullGrouped];
  const bool second_page = state.range(0) == 1;
  std::mt19937_64 rng(13);
  std::vector<double> us;
  for (auto _ : state) {
    CaseQuery q;
    q.limit = 50;
    switch (rng() % 4) {
      case 0: q.status = CaseStatus::kInProgress; break;
      case 1: q.topic = kTopics[rng() % std::size(kTopics)]; break;
      case 2: q.region = kRegions[rng() % std::size(kRegions)];
              q.status = CaseStatus::kNew; break;
      default: {
        q.created_from = kEpoch + std::chrono::hours(static_cast<int64_t>(rng() % 8000));
        q.created_to = *q.created_from + std::chrono::hours(24);
      }
    }
    Result<CasePage> r = Status::Internal("not run");
    us.push_back(TimeUs([&] {
      r = store.Search(q);
      if (second_page && r.ok() && !r->next_cursor.empty()) {
        q.cursor = r->next_cursor;
        r = store.Search(q);
      }
    }));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  ReportLatency(state, us);
}
BENCHMARK(BM_SearchPage)->ArgName("pages")->Arg(0)->Arg(1)->UseRealTime()->MinTime(1.0);

}  // namespace
}  // namespace gosline

int main(int argc, char** argv) {
  using namespace gosline;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!Populate()) return 1;
  const struct {
    SqliteSync sync;
    int max_group;
  } kinds[kStoreKinds] = {{SqliteSync::kNormal, 256}, {SqliteSync::kFull, 256}, {SqliteSync::kFull, 1}};
  for (int k = 0; k < kStoreKinds; ++k) {
    auto store = OpenStore(kinds[k].sync, kinds[k].max_group);
    if (!store.ok()) {
      std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
      return 1;
    }
    g_stores[k] = std::move(*store);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
