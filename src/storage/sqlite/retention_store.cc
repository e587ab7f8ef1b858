#include "storage/sqlite/retention_store.h"

#include "core/cases/phone.h"
#include "core/common/system_clock.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// A call belongs to the case it was linked to by the contact centre, else
// the case the caller asked about by phone.
constexpr const char* kCallCase =
    "LEFT JOIN cases c ON c.number = COALESCE(NULLIF(r.linked_case, ''), NULLIF(r.case_number, ''))";

// Columns: id, ref, recorded_ms, open (NULL = no case), case_updated_ms, recording_path.
const std::string kCallSelect =
    std::string("SELECT r.id, r.call_id, r.started_at_ms, c.is_open, c.updated_at_ms, "
                "r.recording_path FROM call_records r ") +
    kCallCase;

}  // namespace

SqliteRetentionStore::SqliteRetentionStore(std::unique_ptr<SqliteConnection> conn,
                                           std::shared_ptr<const RowCipher> cipher)
    : conn_(std::move(conn)), cipher_(std::move(cipher)) {}

SqliteRetentionStore::~SqliteRetentionStore() = default;

Result<std::unique_ptr<SqliteRetentionStore>> SqliteRetentionStore::Open(
    const std::string& path, std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON"));
  GOSLINE_RETURN_IF_ERROR(sqlite::CheckDataKey(*conn, cipher.get()));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteRetentionStore>(
      new SqliteRetentionStore(std::move(conn), std::move(cipher)));
}

Result<CitizenErasure> SqliteRetentionStore::EraseCitizen(
    const std::string& phone, int64_t keep_case_id) {
  std::vector<std::string> keys;
  if (cipher_) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> hashes, cipher_->PhoneLookupHashes(phone));
    keys = std::move(hashes);
  } else {
    std::optional<std::string> e164 = NormalizePhone(phone);
    keys.push_back(e164 ? *e164 : phone);
  }
  std::string in = "?2";
  for (size_t i = 1; i < keys.size(); ++i) in += ", ?" + std::to_string(i + 2);
  auto bind_keys = [&](Statement& st) {
    for (size_t i = 0; i < keys.size(); ++i) st.Bind(static_cast<int>(i) + 2, std::string_view(keys[i]));
  };
  CitizenErasure out;
  std::vector<int64_t> erase;
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  {
    Result<Statement> st = conn_->Prepare("SELECT id, number, is_open FROM cases WHERE phone_hmac IN (" +
                                          in + ") AND id <> ?1 ORDER BY id");
    if (!st.ok()) return st.status();
    st->Bind(1, keep_case_id);
    bind_keys(*st);
    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      const auto* number = reinterpret_cast<const char*>(sqlite3_column_text(st->raw(), 1));
      const bool open = sqlite3_column_int64(st->raw(), 2) != 0;
      (open ? out.cases_kept : out.cases_erased).push_back(number ? number : "");
      if (!open) erase.push_back(sqlite3_column_int64(st->raw(), 0));
    }
  }
  for (int64_t id : erase) {
    for (const char* sql : {"UPDATE cases SET phone = '', phone_hmac = NULL, portal_account_id = "
                            "NULL, summary = '' WHERE id = ?1",
                            "UPDATE case_history SET detail = '' WHERE case_id = ?1"}) {
      GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
      st.Bind(1, id);
      GOSLINE_RETURN_IF_ERROR(st.Run());
    }
  }
  for (const char* table : {"call_records", "consents"}) {
    const std::string column = std::string(table) == "call_records" ? "caller_hmac" : "phone_hmac";
    Result<Statement> st = conn_->Prepare("DELETE FROM " + std::string(table) + " WHERE ?1 = ?1 AND " +
                                          column + " IN (" + in + ")");
    if (!st.ok()) return st.status();
    st->Bind(1, int64_t{0});
    bind_keys(*st);
    GOSLINE_RETURN_IF_ERROR(st->Run());
    (std::string(table) == "call_records" ? out.call_records_deleted : out.consents_deleted) =
        conn_->changes();
  }
  GOSLINE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<RetentionCandidate>> SqliteRetentionStore::Candidates(const std::string& sql,
                                                                         Time before,
                                                                         int64_t after_id,
                                                                         int limit) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql + " LIMIT ?2"));
  st.Bind(1, ToUnixMillis(before));
  st.Bind(2, static_cast<int64_t>(std::max(1, limit)));
  st.Bind(3, after_id);
  std::vector<RetentionCandidate> out;
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    sqlite3_stmt* s = st.raw();
    RetentionCandidate& c = out.emplace_back();
    c.id = sqlite3_column_int64(s, 0);
    const auto* ref = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    c.ref = ref ? ref : "";
    c.recorded_at = FromUnixMillis(sqlite3_column_int64(s, 2));
    if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
      c.tied_to_open_case = sqlite3_column_int64(s, 3) != 0;
      if (!c.tied_to_open_case) c.case_closed_at = FromUnixMillis(sqlite3_column_int64(s, 4));
    }
    const auto* rec = reinterpret_cast<const char*>(sqlite3_column_text(s, 5));
    c.recording_path = rec ? rec : "";
  }
}

Result<std::vector<RetentionCandidate>> SqliteRetentionStore::CallRecordsBefore(Time before,
                                                                                int64_t after_id,
                                                                                int limit) {
  return Candidates(kCallSelect +
                        " WHERE r.started_at_ms <= ?1 AND (r.from_number <> '' OR r.caller_e164 "
                        "IS NOT NULL) AND r.id > ?3 ORDER BY r.id",
                    before, after_id, limit);
}

Result<std::vector<RetentionCandidate>> SqliteRetentionStore::RecordingsBefore(Time before,
                                                                               int64_t after_id,
                                                                               int limit) {
  return Candidates(kCallSelect +
                        " WHERE r.started_at_ms <= ?1 AND r.recording_path <> '' "
                        "AND NOT EXISTS (SELECT 1 FROM recordings g WHERE g.file_name = "
                        "r.recording_path) AND r.id > ?3 ORDER BY r.id",
                    before, after_id, limit);
}

Result<std::vector<RetentionCandidate>> SqliteRetentionStore::DoneCasesBefore(Time before,
                                                                              int64_t after_id,
                                                                              int limit) {
  return Candidates(
      "SELECT id, number, updated_at_ms, 0, updated_at_ms, '' FROM cases "
      "WHERE status IN ('resolved', 'closed') AND updated_at_ms <= ?1 AND phone_hmac IS NOT NULL "
      "AND id > ?3 ORDER BY id",
      before, after_id, limit);
}

Status SqliteRetentionStore::ForIds(const std::string& sql, const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  size_t start = 0;
  while (start < sql.size()) {
    size_t end = sql.find(';', start);
    if (end == std::string::npos) end = sql.size();
    const std::string one = sql.substr(start, end - start);
    start = end + 1;
    if (one.find_first_not_of(" \n") == std::string::npos) continue;
    for (int64_t id : ids) {
      Result<Statement> st = conn_->Prepare(one);  // cached; reset when it goes
      if (!st.ok()) return st.status();
      st->Bind(1, id);
      GOSLINE_RETURN_IF_ERROR(st->Run());
    }
  }
  return tx.Commit();
}

Status SqliteRetentionStore::DeleteCallRecords(const std::vector<int64_t>& ids) {
  return ForIds("DELETE FROM call_records WHERE id = ?1", ids);
}

Status SqliteRetentionStore::StripCallRecords(const std::vector<int64_t>& ids) {
  return ForIds(
      "UPDATE call_records SET from_number = '', caller_e164 = NULL, caller_hmac = NULL, "
      "digits = '' WHERE id = ?1",
      ids);
}

Status SqliteRetentionStore::EraseCasePersonalData(const std::vector<int64_t>& ids) {
  return ForIds(
      "UPDATE cases SET phone = '', phone_hmac = NULL, portal_account_id = NULL, summary = '' "
      "WHERE id = ?1;"
      "UPDATE case_history SET detail = '' WHERE case_id = ?1",
      ids);
}

}  // namespace gosline
