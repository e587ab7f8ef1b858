#include "storage/sqlite/sqlite_report_rollup_store.h"

#include <array>
#include <map>
#include <utility>

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

using stats::IntervalFigures;
using stats::ReportBucket;
using stats::RollupDimension;

constexpr int64_t kIntervalMs = 15 * 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
// Intervals recounted per write transaction: short enough that telephony's
// writer never waits long for the lock.
constexpr int kRecountBatch = 64;

struct Column {
  const char* name;
  int64_t IntervalFigures::*member;
};
// The figure columns of report_rollups, in table order.
constexpr std::array<Column, 21> kColumns = {{
    {"calls", &IntervalFigures::calls},
    {"offered", &IntervalFigures::offered},
    {"answered", &IntervalFigures::answered},
    {"abandoned", &IntervalFigures::abandoned},
    {"short_abandoned", &IntervalFigures::short_abandoned},
    {"answered_within", &IntervalFigures::answered_within},
    {"transfers", &IntervalFigures::transfers},
    {"callbacks", &IntervalFigures::callbacks},
    {"ivr_contained", &IntervalFigures::ivr_contained},
    {"identified", &IntervalFigures::identified},
    {"repeat_contacts", &IntervalFigures::repeat_contacts},
    {"fcr_eligible", &IntervalFigures::fcr_eligible},
    {"fcr_resolved", &IntervalFigures::fcr_resolved},
    {"wait_ms", &IntervalFigures::wait_ms},
    {"waits", &IntervalFigures::waits},
    {"talk_ms", &IntervalFigures::talk_ms},
    {"talks", &IntervalFigures::talks},
    {"wrap_up_ms", &IntervalFigures::wrap_up_ms},
    {"wrap_ups", &IntervalFigures::wrap_ups},
    {"handle_ms", &IntervalFigures::handle_ms},
    {"handles", &IntervalFigures::handles},
}};

std::string InsertSql() {
  std::string names = "dimension, interval_ms, key";
  std::string values = "?1, ?2, ?3";
  for (size_t i = 0; i < kColumns.size(); ++i) {
    names += std::string(", ") + kColumns[i].name;
    values += ", ?" + std::to_string(i + 4);
  }
  return "INSERT INTO report_rollups (" + names + ") VALUES (" + values + ")";
}

// The bucket of an interval in SQL, for buckets of fixed length: local
// hours, days and Monday-first weeks (1970-01-05 was a Monday). Months are
// summed by day here and merged into calendar months in C++.
std::string BucketSql(ReportBucket b, int64_t offset_ms) {
  int64_t size = kIntervalMs, anchor = 0;
  switch (b) {
    case ReportBucket::k15Minutes: return "interval_ms";
    case ReportBucket::kHour: size = 3'600'000; break;
    case ReportBucket::kDay:
    case ReportBucket::kMonth: size = kDayMs; break;
    case ReportBucket::kWeek: size = 7 * kDayMs; anchor = 4 * kDayMs; break;
  }
  const std::string shift = std::to_string(offset_ms - anchor);
  return "(((interval_ms + " + shift + ") / " + std::to_string(size) + ") * " +
         std::to_string(size) + " - " + shift + ")";
}

std::string ReadSql(ReportBucket b, int64_t offset_ms) {
  std::string sums;
  for (const Column& c : kColumns) sums += std::string(", SUM(") + c.name + ")";
  return "SELECT " + BucketSql(b, offset_ms) + " AS bucket, key" + sums +
         " FROM report_rollups WHERE dimension = ?1 AND interval_ms >= ?2 AND interval_ms < ?3"
         " GROUP BY bucket, key ORDER BY bucket, key";
}

// The calls of one interval with the repeat index's two answers: the same
// caller about the same topic within the window before (repeat) and after
// (called_again); ties on the start time are ordered by row id. Legs: the
// operators' recorded legs (a transfer adds one).
constexpr const char* kIntervalCallsSql =
    "SELECT r.started_at_ms, r.dialled, r.queue, r.topic, COALESCE(k.agency, ''), "
    "COALESCE(r.region, ''), r.operator_id, COALESCE(r.caller_hmac, ''), r.outcome, r.ivr_end, "
    "r.wait_ms, r.talk_ms, r.wrap_up_ms, "
    "(SELECT COUNT(*) FROM recordings g WHERE g.call_id = r.call_id), "
    "EXISTS (SELECT 1 FROM call_records p WHERE p.caller_hmac = r.caller_hmac "
    "  AND p.topic = r.topic AND p.started_at_ms >= r.started_at_ms - ?2 "
    "  AND (p.started_at_ms < r.started_at_ms OR (p.started_at_ms = r.started_at_ms AND p.id < r.id))), "
    "EXISTS (SELECT 1 FROM call_records p WHERE p.caller_hmac = r.caller_hmac "
    "  AND p.topic = r.topic AND p.started_at_ms <= r.started_at_ms + ?2 "
    "  AND (p.started_at_ms > r.started_at_ms OR (p.started_at_ms = r.started_at_ms AND p.id > r.id))) "
    "FROM call_records r LEFT JOIN cases k ON k.number = r.linked_case AND r.linked_case <> '' "
    "WHERE r.started_at_ms >= ?1 AND r.started_at_ms < ?1 + 900000";

std::optional<Duration> Millis(const sqlite::Statement& s, int col) {
  std::optional<int64_t> ms = s.ColumnOptionalInt64(col);
  if (!ms) return std::nullopt;
  return Duration(*ms);
}

}  // namespace

Result<std::unique_ptr<SqliteReportRollupStore>> SqliteReportRollupStore::Open(
    const std::string& path, SqliteReportRollupOptions options) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, sqlite::SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteReportRollupStore>(
      new SqliteReportRollupStore(std::move(conn), std::move(options)));
}

SqliteReportRollupStore::SqliteReportRollupStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                                                 SqliteReportRollupOptions options)
    : options_(std::move(options)), conn_(std::move(conn)) {}

SqliteReportRollupStore::~SqliteReportRollupStore() = default;

Status SqliteReportRollupStore::Recount(int64_t interval_ms) {
  std::map<std::pair<RollupDimension, std::string>, IntervalFigures> sums;
  {
    GOSLINE_ASSIGN_OR_RETURN(auto st, conn_->Prepare(kIntervalCallsSql));
    st.Bind(1, interval_ms);
    st.Bind(2, static_cast<int64_t>(options_.settings.repeat_window.count()));
    while (true) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      const sqlite::Statement& s = st;
      stats::RollupCall c;
      c.started = FromUnixMillis(s.ColumnInt64(0));
      c.line = s.ColumnText(1);
      c.queue = s.ColumnText(2);
      c.topic = s.ColumnText(3);
      c.agency = s.ColumnText(4);
      if (c.agency.empty()) {
        auto it = options_.topic_agency.find(c.topic);
        if (it != options_.topic_agency.end()) c.agency = it->second;
      }
      c.region = s.ColumnText(5);
      c.operator_id = s.ColumnText(6);
      c.caller = s.ColumnText(7);
      c.outcome = s.ColumnText(8);
      c.ivr_end = s.ColumnText(9);
      c.wait = Millis(s, 10);
      c.talk = Millis(s, 11);
      c.wrap_up = Millis(s, 12);
      c.operator_legs = std::max<int64_t>(s.ColumnInt64(13), c.operator_id.empty() ? 0 : 1);
      c.repeat = s.ColumnInt64(14) != 0;
      c.called_again = s.ColumnInt64(15) != 0;
      for (const stats::RollupIncrement& inc : stats::IncrementsOf(c, options_.settings)) {
        sums[{inc.dimension, inc.key}] += inc.figures;
      }
    }
  }
  {
    GOSLINE_ASSIGN_OR_RETURN(auto del, conn_->Prepare(
        "DELETE FROM report_rollups WHERE dimension IN "
        "('total', 'line', 'queue', 'topic', 'agency', 'region', 'operator') AND interval_ms = ?1"));
    del.Bind(1, interval_ms);
    GOSLINE_RETURN_IF_ERROR(del.Run());
  }
  static const std::string kInsert = InsertSql();
  for (const auto& [k, f] : sums) {
    GOSLINE_ASSIGN_OR_RETURN(auto ins, conn_->Prepare(kInsert));
    ins.Bind(1, stats::ToString(k.first));
    ins.Bind(2, interval_ms);
    ins.Bind(3, std::string_view(k.second));
    for (size_t i = 0; i < kColumns.size(); ++i) {
      ins.Bind(static_cast<int>(i + 4), f.*(kColumns[i].member));
    }
    GOSLINE_RETURN_IF_ERROR(ins.Run());
  }
  GOSLINE_ASSIGN_OR_RETURN(auto clear,
                           conn_->Prepare("DELETE FROM report_dirty_intervals WHERE interval_ms = ?1"));
  clear.Bind(1, interval_ms);
  return clear.Run();
}

Result<size_t> SqliteReportRollupStore::CatchUp() {
  MutexLock lock(mu_);
  size_t recounted = 0;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(sqlite::Transaction tx,
                             sqlite::Transaction::Begin(*conn_, sqlite::Transaction::Kind::kWrite));
    std::vector<int64_t> marked;
    {
      GOSLINE_ASSIGN_OR_RETURN(auto st, conn_->Prepare(
          "SELECT interval_ms FROM report_dirty_intervals ORDER BY interval_ms LIMIT ?1"));
      st.Bind(1, static_cast<int64_t>(kRecountBatch));
      while (true) {
        GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        marked.push_back(static_cast<const sqlite::Statement&>(st).ColumnInt64(0));
      }
    }
    for (int64_t interval : marked) GOSLINE_RETURN_IF_ERROR(Recount(interval));
    GOSLINE_RETURN_IF_ERROR(tx.Commit());
    recounted += marked.size();
    if (marked.size() < static_cast<size_t>(kRecountBatch)) return recounted;
  }
}

Result<size_t> SqliteReportRollupStore::Rebuild(Time from, Time to) {
  MutexLock lock(mu_);
  const int64_t first = ToUnixMillis(stats::IntervalStart(from));
  const int64_t end = ToUnixMillis(to);
  size_t recounted = 0;
  for (int64_t batch = first; batch < end; batch += kRecountBatch * kIntervalMs) {
    GOSLINE_ASSIGN_OR_RETURN(sqlite::Transaction tx,
                             sqlite::Transaction::Begin(*conn_, sqlite::Transaction::Kind::kWrite));
    for (int64_t i = batch; i < end && i < batch + kRecountBatch * kIntervalMs; i += kIntervalMs) {
      GOSLINE_RETURN_IF_ERROR(Recount(i));
      ++recounted;
    }
    GOSLINE_RETURN_IF_ERROR(tx.Commit());
  }
  return recounted;
}

Result<std::vector<stats::IntervalRow>> SqliteReportRollupStore::Read(const RollupQuery& q) {
  MutexLock lock(mu_);
  const int64_t offset_ms = std::chrono::duration_cast<Duration>(q.utc_offset).count();
  GOSLINE_ASSIGN_OR_RETURN(auto st, conn_->Prepare(ReadSql(q.bucket, offset_ms)));
  st.Bind(1, stats::ToString(q.dimension));
  st.Bind(2, ToUnixMillis(q.from));
  st.Bind(3, ToUnixMillis(q.to));
  std::vector<stats::IntervalRow> rows;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const sqlite::Statement& s = st;
    stats::IntervalRow r;
    r.start = FromUnixMillis(s.ColumnInt64(0));
    r.key = s.ColumnText(1);
    for (size_t i = 0; i < kColumns.size(); ++i) {
      r.figures.*(kColumns[i].member) = s.ColumnInt64(static_cast<int>(i + 2));
    }
    rows.push_back(std::move(r));
  }
  if (q.bucket == ReportBucket::kMonth) return stats::MergeIntoBuckets(rows, q.bucket, q.utc_offset);
  return rows;
}

}  // namespace gosline
