#include "storage/sqlite/sqlite_recording_store.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Columns Rows() reads; case_open: whether the recording's case is open now.
constexpr const char* kSelect =
    "SELECT r.id, r.call_id, r.case_number, r.leg, r.file_name, r.created_at_ms, r.sealed_key_id, "
    "r.size_bytes, r.deleted_at_ms, "
    "COALESCE((SELECT c.is_open FROM cases c WHERE c.number = r.case_number), 0) "
    "FROM recordings r ";

std::string Text(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text ? text : "";
}

std::string InList(int first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? ", ?" : "?") + std::to_string(first + static_cast<int>(i));
  return out;
}

}  // namespace

SqliteRecordingStore::SqliteRecordingStore(std::unique_ptr<SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteRecordingStore::~SqliteRecordingStore() = default;

Result<std::unique_ptr<SqliteRecordingStore>> SqliteRecordingStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteRecordingStore>(new SqliteRecordingStore(std::move(conn)));
}

Result<StoredRecording> SqliteRecordingStore::Add(StoredRecording r) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO recordings (call_id, case_number, leg, file_name, created_at_ms, sealed_key_id, "
      "size_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  st.Bind(1, std::string_view(r.call_id));
  st.Bind(2, std::string_view(r.case_number));
  st.Bind(3, static_cast<int64_t>(r.leg));
  st.Bind(4, std::string_view(r.file_name));
  st.Bind(5, ToUnixMillis(r.created));
  st.Bind(6, std::string_view(r.sealed_key_id));
  st.Bind(7, r.size_bytes);
  GOSLINE_RETURN_IF_ERROR(st.Run());
  r.id = sqlite3_last_insert_rowid(conn_->handle());
  r.deleted_at.reset();
  return r;
}

Result<std::vector<StoredRecording>> SqliteRecordingStore::Rows(Statement& st) {
  std::vector<StoredRecording> out;
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    sqlite3_stmt* s = st.raw();
    StoredRecording& r = out.emplace_back();
    r.id = sqlite3_column_int64(s, 0);
    r.call_id = Text(s, 1);
    r.case_number = Text(s, 2);
    r.leg = static_cast<int>(sqlite3_column_int64(s, 3));
    r.file_name = Text(s, 4);
    r.created = FromUnixMillis(sqlite3_column_int64(s, 5));
    r.sealed_key_id = Text(s, 6);
    r.size_bytes = sqlite3_column_int64(s, 7);
    if (sqlite3_column_type(s, 8) != SQLITE_NULL) r.deleted_at = FromUnixMillis(sqlite3_column_int64(s, 8));
    r.case_open = sqlite3_column_int64(s, 9) != 0;
  }
}

Result<std::vector<StoredRecording>> SqliteRecordingStore::LiveOf(
    const std::vector<std::string>& call_ids, const std::vector<std::string>& case_numbers) {
  if (call_ids.empty() && case_numbers.empty()) return std::vector<StoredRecording>{};
  // Bound parameters are capped (32766 by default): a citizen's calls and
  // cases are far fewer, but a list that long is refused, not truncated.
  if (call_ids.size() + case_numbers.size() > 30000) {
    return Status::InvalidArgument("too many calls and cases in one lookup");
  }
  std::string where;
  if (!call_ids.empty()) where += "r.call_id IN (" + InList(1, call_ids.size()) + ")";
  if (!case_numbers.empty()) {
    where += std::string(where.empty() ? "" : " OR ") + "r.case_number IN (" +
             InList(static_cast<int>(call_ids.size()) + 1, case_numbers.size()) + ")";
  }
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(std::string(kSelect) + "WHERE (" + where +
                                                        ") AND r.deleted_at_ms IS NULL ORDER BY r.id"));
  int i = 1;
  for (const std::string& id : call_ids) st.Bind(i++, std::string_view(id));
  for (const std::string& n : case_numbers) st.Bind(i++, std::string_view(n));
  return Rows(st);
}

Result<std::vector<StoredRecording>> SqliteRecordingStore::LiveBefore(Time before, int64_t after_id,
                                                                      int limit) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      std::string(kSelect) +
      "WHERE r.deleted_at_ms IS NULL AND r.created_at_ms <= ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3"));
  st.Bind(1, ToUnixMillis(before));
  st.Bind(2, after_id);
  st.Bind(3, static_cast<int64_t>(std::max(1, limit)));
  return Rows(st);
}

Status SqliteRecordingStore::MarkDeleted(const std::vector<int64_t>& ids, Time at) {
  if (ids.empty()) return Status::Ok();
  // The links and the call record go first: they are found by the file's name
  // while the row still says it is live.
  static constexpr const char* kSteps[] = {
      "UPDATE case_links SET kind = 'recording_deleted', ref = '' WHERE kind = 'recording' AND ref = "
      "(SELECT file_name FROM recordings WHERE id = ?1 AND deleted_at_ms IS NULL)",
      "UPDATE call_records SET recording_path = '' WHERE recording_path <> '' AND recording_path = "
      "(SELECT file_name FROM recordings WHERE id = ?1 AND deleted_at_ms IS NULL)",
      "UPDATE recordings SET deleted_at_ms = ?2 WHERE id = ?1 AND deleted_at_ms IS NULL",
  };
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  for (int64_t id : ids) {
    for (const char* sql : kSteps) {
      GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
      st.Bind(1, id);
      if (std::string_view(sql).find("?2") != std::string_view::npos) st.Bind(2, ToUnixMillis(at));
      GOSLINE_RETURN_IF_ERROR(st.Run());
    }
  }
  return tx.Commit();
}

}  // namespace gosline
