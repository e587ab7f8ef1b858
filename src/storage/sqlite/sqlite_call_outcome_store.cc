#include "storage/sqlite/sqlite_call_outcome_store.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

constexpr const char* kOutcomeColumns =
    "call_id, linked_case, queue, operator_id, wait_ms, talk_ms, wrap_up_ms, outcome, "
    "recording_path";

std::optional<int64_t> Millis(const std::optional<Duration>& d) {
  if (!d) return std::nullopt;
  return d->count();
}

std::optional<Duration> DurationOrNull(const Statement& s, int col) {
  std::optional<int64_t> ms = s.ColumnOptionalInt64(col);
  if (!ms) return std::nullopt;
  return Duration(*ms);
}

// Binds the outcome columns at ?2..?9 (?1 is the Call-ID or the row's id).
void BindOutcome(Statement& s, const CallOutcome& o) {
  s.Bind(2, std::string_view(o.linked_case));
  s.Bind(3, std::string_view(o.queue));
  s.Bind(4, std::string_view(o.operator_id));
  s.Bind(5, Millis(o.wait));
  s.Bind(6, Millis(o.talk));
  s.Bind(7, Millis(o.wrap_up));
  s.Bind(8, std::string_view(o.outcome));
  s.Bind(9, std::string_view(o.recording_path));
}

}  // namespace

Result<std::unique_ptr<SqliteCallOutcomeStore>> SqliteCallOutcomeStore::Open(
    const std::string& path, std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn,
      SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteCallOutcomeStore>(
      new SqliteCallOutcomeStore(std::move(conn), std::move(cipher)));
}

SqliteCallOutcomeStore::SqliteCallOutcomeStore(std::unique_ptr<SqliteConnection> conn,
                                               std::shared_ptr<const RowCipher> cipher)
    : conn_(std::move(conn)), cipher_(std::move(cipher)) {}

SqliteCallOutcomeStore::~SqliteCallOutcomeStore() = default;

Result<bool> SqliteCallOutcomeStore::Apply(const CallOutcome& o) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE call_records SET linked_case = ?2, queue = CASE WHEN ?3 = '' THEN queue ELSE ?3 END, "
      "operator_id = ?4, wait_ms = ?5, talk_ms = ?6, wrap_up_ms = ?7, outcome = ?8, "
      "recording_path = ?9 WHERE id = (SELECT MAX(id) FROM call_records WHERE call_id = ?1)"));
  st.Bind(1, std::string_view(o.call_id));
  BindOutcome(st, o);
  GOSLINE_RETURN_IF_ERROR(st.Run());
  return conn_->changes() > 0;
}

Status SqliteCallOutcomeStore::InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) {
  // The caller's number is personal data: sealed and hashed as telephony's rows are (R22).
  std::string from = info.from;
  std::optional<std::string> caller_hmac;
  if (cipher_ && !from.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(std::string sealed, cipher_->Seal(
        from, sqlite::CallRecordContext("from_number", o.call_id, ToUnixMillis(info.started))));
    GOSLINE_ASSIGN_OR_RETURN(std::string hash, cipher_->PhoneHash(from));
    from = std::move(sealed);
    caller_hmac = std::move(hash);
  }
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO call_records (call_id, linked_case, queue, operator_id, wait_ms, talk_ms, "
      "wrap_up_ms, outcome, recording_path, from_number, dialled, region, started_at_ms, "
      "ended_at_ms, end_reason, sip_status, language, ivr_path, topic, case_number, digits, "
      "prompts, ivr_end, caller_hmac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, 'centre', 0, ?15, ?16, ?17, '', '', '', 'queued', ?18)"));
  Statement& s = st;
  s.Bind(1, std::string_view(o.call_id));
  BindOutcome(s, o);
  s.Bind(18, caller_hmac);
  s.Bind(10, std::string_view(from));
  s.Bind(11, std::string_view(info.dialled));
  s.Bind(12, info.region.empty() ? std::nullopt : std::optional<std::string>(info.region));
  s.Bind(13, ToUnixMillis(info.started));
  s.Bind(14, ToUnixMillis(info.ended));
  s.Bind(15, std::string_view(info.language));
  s.Bind(16, std::string_view(info.ivr_path));
  s.Bind(17, std::string_view(info.topic));
  return s.Run();
}

Result<std::vector<CallOutcome>> SqliteCallOutcomeStore::Query(const std::string& where,
                                                               const std::string& arg) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(std::string("SELECT ") + kOutcomeColumns +
                                        " FROM call_records " + where));
  st.Bind(1, std::string_view(arg));
  std::vector<CallOutcome> out;
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const Statement& s = st;
    CallOutcome o;
    o.call_id = s.ColumnText(0);
    o.linked_case = s.ColumnText(1);
    o.queue = s.ColumnText(2);
    o.operator_id = s.ColumnText(3);
    o.wait = DurationOrNull(s, 4);
    o.talk = DurationOrNull(s, 5);
    o.wrap_up = DurationOrNull(s, 6);
    o.outcome = s.ColumnText(7);
    o.recording_path = s.ColumnText(8);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::optional<CallOutcome>> SqliteCallOutcomeStore::Find(const std::string& call_id) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<CallOutcome> rows,
      Query("WHERE call_id = ?1 ORDER BY id DESC LIMIT 1", call_id));
  if (rows.empty()) return std::optional<CallOutcome>();
  return std::optional<CallOutcome>(std::move(rows.front()));
}

Result<std::vector<CallOutcome>> SqliteCallOutcomeStore::FindByCase(const std::string& case_number) {
  return Query("WHERE linked_case = ?1 ORDER BY id", case_number);
}

}  // namespace gosline
