#include "storage/sqlite/sqlite_probe_store.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;

SqliteProbeStore::SqliteProbeStore(std::unique_ptr<SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteProbeStore::~SqliteProbeStore() = default;

Result<std::unique_ptr<SqliteProbeStore>> SqliteProbeStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteProbeStore>(new SqliteProbeStore(std::move(conn)));
}

Status SqliteProbeStore::Append(const stats::ProbeResult& p) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO line_probes (at_ms, node, ok, detail) VALUES (?1, ?2, ?3, ?4)"));
  st.Bind(1, ToUnixMillis(p.at));
  st.Bind(2, std::string_view(p.node));
  st.Bind(3, static_cast<int64_t>(p.ok ? 1 : 0));
  st.Bind(4, std::string_view(p.detail));
  return st.Run();
}

Result<std::vector<stats::ProbeResult>> SqliteProbeStore::Read(Time from, Time to,
                                                               size_t max_rows) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT at_ms, node, ok, detail FROM line_probes WHERE at_ms >= ?1 AND at_ms < ?2 "
      "ORDER BY at_ms LIMIT ?3"));
  st.Bind(1, ToUnixMillis(from));
  st.Bind(2, ToUnixMillis(to));
  st.Bind(3, static_cast<int64_t>(max_rows + 1));
  std::vector<stats::ProbeResult> out;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (out.size() == max_rows) {
      return Status::ResourceExhausted("more than " + std::to_string(max_rows) +
                                       " probes: ask for a shorter period");
    }
    stats::ProbeResult p;
    p.at = FromUnixMillis(st.ColumnInt64(0));
    p.node = st.ColumnText(1);
    p.ok = st.ColumnInt64(2) != 0;
    p.detail = st.ColumnText(3);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace gosline
