#include "storage/sqlite/sqlite_call_report_reader.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

std::optional<Duration> Millis(const sqlite::Statement& s, int col) {
  std::optional<int64_t> ms = s.ColumnOptionalInt64(col);
  if (!ms) return std::nullopt;
  return Duration(*ms);
}

}  // namespace

Result<std::unique_ptr<SqliteCallReportReader>> SqliteCallReportReader::Open(
    const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, sqlite::SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteCallReportReader>(new SqliteCallReportReader(std::move(conn)));
}

SqliteCallReportReader::SqliteCallReportReader(std::unique_ptr<sqlite::SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteCallReportReader::~SqliteCallReportReader() = default;

Result<std::vector<stats::ReportCall>> SqliteCallReportReader::Read(Time from, Time to,
                                                                    size_t max_rows) {
  MutexLock lock(mu_);
  // caller_hmac: a stable key of the number (the number itself may be encrypted).
  GOSLINE_ASSIGN_OR_RETURN(auto st, conn_->Prepare(
      "SELECT started_at_ms, queue, topic, COALESCE(region, ''), COALESCE(caller_hmac, ''), "
      "outcome, wait_ms, talk_ms, wrap_up_ms FROM call_records "
      "WHERE started_at_ms >= ?1 AND started_at_ms < ?2 ORDER BY started_at_ms, id"));
  st.Bind(1, ToUnixMillis(from));
  st.Bind(2, ToUnixMillis(to));
  std::vector<stats::ReportCall> out;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (out.size() >= max_rows) {
      return Status::ResourceExhausted("more than " + std::to_string(max_rows) +
                                       " calls in the range; ask for a shorter one");
    }
    const sqlite::Statement& s = st;
    stats::ReportCall c;
    c.started = FromUnixMillis(s.ColumnInt64(0));
    c.queue = s.ColumnText(1);
    c.topic = s.ColumnText(2);
    c.region = s.ColumnText(3);
    c.caller = s.ColumnText(4);
    c.outcome = s.ColumnText(5);
    c.wait = Millis(s, 6);
    c.talk = Millis(s, 7);
    c.wrap_up = Millis(s, 8);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace gosline
