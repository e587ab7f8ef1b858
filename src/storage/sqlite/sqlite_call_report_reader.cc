#include "storage/sqlite/sqlite_call_report_reader.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

std::string Text(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return "";
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, col)),
                     static_cast<size_t>(sqlite3_column_bytes(s, col)));
}

std::optional<Duration> Millis(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return Duration(sqlite3_column_int64(s, col));
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
  std::lock_guard lock(mu_);
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
    sqlite3_stmt* s = st.raw();
    stats::ReportCall c;
    c.started = FromUnixMillis(sqlite3_column_int64(s, 0));
    c.queue = Text(s, 1);
    c.topic = Text(s, 2);
    c.region = Text(s, 3);
    c.caller = Text(s, 4);
    c.outcome = Text(s, 5);
    c.wait = Millis(s, 6);
    c.talk = Millis(s, 7);
    c.wrap_up = Millis(s, 8);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace gosline
