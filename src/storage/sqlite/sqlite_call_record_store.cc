#include "storage/sqlite/sqlite_call_record_store.h"

#include <algorithm>

#include "core/common/system_clock.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

constexpr const char* kColumns =
    "call_id, from_number, caller_e164, dialled, region, started_at_ms, answered_at_ms, "
    "ended_at_ms, end_reason, sip_status, language, ivr_path, topic, queue, case_number, "
    "digits, prompts, ivr_end";

constexpr int kBusyRetries = 5;

// A caller's number as stored: sealed under the cipher, else in clear.
Result<std::optional<std::string>> Unsealed(const RowCipher* cipher,
                                            std::optional<std::string> value,
                                            std::string_view column, const CallRecordRow& r,
                                            int64_t row_id) {
  if (!value || value->substr(0, kSealedPrefix.size()) != kSealedPrefix) {
    return value;
  }
  const std::string where = "call_records row " + std::to_string(row_id) + ": column " +
                            std::string(column) + ": ";
  if (cipher == nullptr) {
    return Status::Corruption(where + "encrypted, but the store was opened without a data key");
  }
  Result<std::string> plain = cipher->Unseal(
      *value, sqlite::CallRecordContext(column, r.call_id, ToUnixMillis(r.started)));
  if (!plain.ok()) return Status::Corruption(where + "cannot decrypt: " + plain.status().message());
  return std::optional<std::string>(std::move(*plain));
}

Result<std::optional<std::string>> SealedOrClear(const RowCipher* cipher,
                                                 const std::optional<std::string>& value,
                                                 std::string_view column, const CallRecordRow& r) {
  if (!value || cipher == nullptr) return value;
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed,
      cipher->Seal(*value, sqlite::CallRecordContext(column, r.call_id, ToUnixMillis(r.started))));
  return std::optional<std::string>(std::move(sealed));
}

// kColumns, then id at kIdColumn.
constexpr int kIdColumn = 18;

Result<CallRecordRow> ReadRow(const Statement& s, const RowCipher* cipher) {
  CallRecordRow r;
  r.call_id = s.ColumnText(0);
  r.started = FromUnixMillis(s.ColumnInt64(5));
  const int64_t row_id = s.ColumnInt64(kIdColumn);
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> from,
                           Unsealed(cipher, s.ColumnOptionalText(1), "from_number", r, row_id));
  r.from = from.value_or("");
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> e164,
                           Unsealed(cipher, s.ColumnOptionalText(2), "caller_e164", r, row_id));
  r.caller_e164 = std::move(e164);
  r.dialled = s.ColumnText(3);
  r.region = s.ColumnOptionalText(4);
  if (!s.ColumnIsNull(6)) r.answered = FromUnixMillis(s.ColumnInt64(6));
  r.ended = FromUnixMillis(s.ColumnInt64(7));
  r.end_reason = s.ColumnText(8);
  r.sip_status = static_cast<int>(s.ColumnInt64(9));
  r.language = s.ColumnText(10);
  r.ivr_path = s.ColumnText(11);
  r.topic = s.ColumnText(12);
  r.queue = s.ColumnText(13);
  r.case_number = s.ColumnText(14);
  // The keys pressed may hold a case number or a phone (R22): sealed like the caller's number.
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> digits,
                           Unsealed(cipher, s.ColumnOptionalText(15), "digits", r, row_id));
  r.digits = digits.value_or("");
  r.prompts = s.ColumnText(16);
  r.ivr_end = s.ColumnText(17);
  return r;
}

Status Insert(SqliteConnection& conn, const CallRecordRow& r, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> from,
                           SealedOrClear(cipher, r.from, "from_number", r));
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> e164,
                           SealedOrClear(cipher, r.caller_e164, "caller_e164", r));
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> digits,
                           SealedOrClear(cipher, r.digits, "digits", r));
  std::optional<std::string> hash = r.caller_e164;
  if (cipher != nullptr && r.caller_e164) {
    GOSLINE_ASSIGN_OR_RETURN(std::string h, cipher->PhoneHash(*r.caller_e164));
    hash = std::move(h);
  }
  Result<Statement> st = conn.Prepare(std::string("INSERT INTO call_records (") + kColumns +
                                      ", caller_hmac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                      "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  if (!st.ok()) return st.status();
  Statement& s = *st;
  s.Bind(1, std::string_view(r.call_id));
  const std::string from_text = from.value_or("");
  s.Bind(2, std::string_view(from_text));
  s.Bind(3, e164);
  s.Bind(19, hash);
  s.Bind(4, std::string_view(r.dialled));
  s.Bind(5, r.region);
  s.Bind(6, ToUnixMillis(r.started));
  s.Bind(7, r.answered ? std::optional<int64_t>(ToUnixMillis(*r.answered)) : std::nullopt);
  s.Bind(8, ToUnixMillis(r.ended));
  s.Bind(9, std::string_view(r.end_reason));
  s.Bind(10, static_cast<int64_t>(r.sip_status));
  s.Bind(11, std::string_view(r.language));
  s.Bind(12, std::string_view(r.ivr_path));
  s.Bind(13, std::string_view(r.topic));
  s.Bind(14, std::string_view(r.queue));
  s.Bind(15, std::string_view(r.case_number));
  const std::string digits_text = digits.value_or("");
  s.Bind(16, std::string_view(digits_text));
  s.Bind(17, std::string_view(r.prompts));
  s.Bind(18, std::string_view(r.ivr_end));
  return s.Run();
}

}  // namespace

Result<std::unique_ptr<SqliteCallRecordStore>> SqliteCallRecordStore::Open(const std::string& path,
                                                                           Options opts) {
  sqlite::ConnectionOptions conn_opts;
  conn_opts.busy_timeout = opts.busy_timeout;
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn,
      SqliteConnection::Open(path, conn_opts));
  SqliteConnection& c = *conn;
  if (path != ":memory:") {
    GOSLINE_ASSIGN_OR_RETURN(std::string mode, c.QueryText("PRAGMA journal_mode=WAL"));
    if (mode != "wal") return Status::IoError("sqlite: " + path + ": cannot use WAL mode");
  }
  GOSLINE_RETURN_IF_ERROR(c.Exec(opts.synchronous == SqliteSync::kFull ? "PRAGMA synchronous=FULL"
                                                                       : "PRAGMA synchronous=NORMAL"));
  // The key is checked before migrations: a wrong one changes nothing.
  GOSLINE_RETURN_IF_ERROR(sqlite::CheckDataKey(c, opts.cipher.get()));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(c, SystemClock().Now()));
  if (opts.cipher) {
    GOSLINE_RETURN_IF_ERROR(sqlite::SealPlaintextRows(c, *opts.cipher, 500).status());
  }
  opts.max_batch = std::max<size_t>(1, opts.max_batch);
  return std::unique_ptr<SqliteCallRecordStore>(
      new SqliteCallRecordStore(std::move(conn), opts));
}

SqliteCallRecordStore::SqliteCallRecordStore(std::unique_ptr<SqliteConnection> conn, Options opts)
    : opts_(opts),
      conn_(std::move(conn)),
      batcher_({opts.max_queued, opts.max_batch},
               [this](const std::vector<CallRecordRow>& rows) { return WriteBatch(rows); }) {}

SqliteCallRecordStore::~SqliteCallRecordStore() {
  // Owners that must know call Close() first; rows lost here are counted in stats().failed.
  Close().IgnoreError();
}

Status SqliteCallRecordStore::Append(CallRecordRow row) { return batcher_.Append(std::move(row)); }
Status SqliteCallRecordStore::Flush() { return batcher_.Flush(); }
Status SqliteCallRecordStore::Close() { return batcher_.Close(); }

Status SqliteCallRecordStore::WriteBatch(const std::vector<CallRecordRow>& rows) {
  MutexLock conn_lock(conn_mu_);
  Status st;
  // The case store may hold the write lock beyond busy_timeout under a burst;
  // a few more tries keep records rather than drop them.
  for (int attempt = 0; attempt < kBusyRetries; ++attempt) {
    st = [&]() -> Status {
      conn_mu_.AssertHeld();  // run right here, under conn_lock
      GOSLINE_ASSIGN_OR_RETURN(Transaction tx,
          Transaction::Begin(*conn_, Transaction::Kind::kWrite));
      for (const CallRecordRow& r : rows) GOSLINE_RETURN_IF_ERROR(Insert(*conn_, r, opts_.cipher.get()));
      return tx.Commit();
    }();
    if (st.code() != Status::Code::kUnavailable) break;
  }
  return st;
}

Result<std::vector<CallRecordRow>> SqliteCallRecordStore::Query(const std::string& where_and_order,
                                                                const std::string& text_arg,
                                                                int64_t int_arg) {
  MutexLock conn_lock(conn_mu_);
  Result<Statement> st =
      conn_->Prepare(std::string("SELECT ") + kColumns + ", id FROM call_records " + where_and_order);
  if (!st.ok()) return st.status();
  if (!text_arg.empty()) st->Bind(1, std::string_view(text_arg));
  if (int_arg > 0) st->Bind(1, int_arg);
  return ReadAll(*st);
}

Result<std::vector<CallRecordRow>> SqliteCallRecordStore::ReadAll(Statement& st) {
  std::vector<CallRecordRow> out;
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    GOSLINE_ASSIGN_OR_RETURN(CallRecordRow r, ReadRow(st, opts_.cipher.get()));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<CallRecordRow>> SqliteCallRecordStore::FindByCaller(const std::string& phone,
                                                                        int limit) {
  std::vector<std::string> keys{phone};
  if (opts_.cipher) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
        opts_.cipher->PhoneLookupHashes(phone));
    keys = std::move(hashes);
  }
  std::string sql = std::string("SELECT ") + kColumns + ", id FROM call_records WHERE caller_hmac IN (?";
  for (size_t i = 1; i < keys.size(); ++i) sql += ", ?";
  sql += ") ORDER BY started_at_ms, id LIMIT ?";
  MutexLock conn_lock(conn_mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
  int index = 1;
  for (const std::string& k : keys) st.Bind(index++, std::string_view(k));
  st.Bind(index, static_cast<int64_t>(std::max(1, limit)));
  return ReadAll(st);
}

Result<std::vector<CallRecordRow>> SqliteCallRecordStore::FindByCallId(const std::string& call_id) {
  if (call_id.empty()) return std::vector<CallRecordRow>{};
  return Query("WHERE call_id = ?1 ORDER BY id", call_id, 0);
}

Result<std::vector<CallRecordRow>> SqliteCallRecordStore::Recent(int limit) {
  Result<std::vector<CallRecordRow>> rows =
      Query("WHERE id IN (SELECT id FROM call_records ORDER BY id DESC LIMIT ?1) ORDER BY id", "",
            std::max(1, limit));
  return rows;
}

SqliteCallRecordStore::Stats SqliteCallRecordStore::stats() { return batcher_.stats(); }

}  // namespace gosline
