#include "storage/sqlite/sqlite_citizen_channel_store.h"

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

SqliteCitizenChannelStore::SqliteCitizenChannelStore(std::unique_ptr<SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteCitizenChannelStore::~SqliteCitizenChannelStore() = default;

Result<std::unique_ptr<SqliteCitizenChannelStore>> SqliteCitizenChannelStore::Open(
    const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteCitizenChannelStore>(new SqliteCitizenChannelStore(std::move(conn)));
}

Status SqliteCitizenChannelStore::LinkCase(const std::string& account_key,
                                           const std::string& case_number, Time at) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO citizen_cases (account_key, case_number, created_at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING"));
  st.Bind(1, std::string_view(account_key));
  st.Bind(2, std::string_view(case_number));
  st.Bind(3, ToUnixMillis(at));
  return st.Run();
}

Result<std::vector<std::string>> SqliteCitizenChannelStore::CasesOf(const std::string& account_key,
                                                                   int limit) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT case_number FROM citizen_cases WHERE account_key = ?1 "
      "ORDER BY created_at_ms DESC, case_number DESC LIMIT ?2"));
  st.Bind(1, std::string_view(account_key));
  st.Bind(2, static_cast<int64_t>(limit));
  std::vector<std::string> out;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.ColumnText(0));
  }
  return out;
}

Status SqliteCitizenChannelStore::SaveCallContext(const CallContext& c, Time now) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement drop, conn_->Prepare(
        "DELETE FROM call_contexts WHERE expires_at_ms <= ?1"));
    drop.Bind(1, ToUnixMillis(now));
    GOSLINE_RETURN_IF_ERROR(drop.Run());
  }
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
        "INSERT INTO call_contexts (code, account_key, topic, case_number, created_at_ms, "
        "expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"));
    st.Bind(1, std::string_view(c.code));
    st.Bind(2, std::string_view(c.account_key));
    st.Bind(3, std::string_view(c.topic));
    st.Bind(4, std::string_view(c.case_number));
    st.Bind(5, ToUnixMillis(c.created_at));
    st.Bind(6, ToUnixMillis(c.expires_at));
    GOSLINE_RETURN_IF_ERROR(st.Run());
  }
  if (conn_->changes() != 1) return Status::AlreadyExists("call context code in use");
  return tx.Commit();
}

Result<std::optional<CallContext>> SqliteCitizenChannelStore::TakeCallContext(const std::string& code,
                                                                              Time now) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  std::optional<CallContext> found;
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
        "SELECT account_key, topic, case_number, created_at_ms, expires_at_ms FROM call_contexts "
        "WHERE code = ?1 AND expires_at_ms > ?2"));
    st.Bind(1, std::string_view(code));
    st.Bind(2, ToUnixMillis(now));
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      found = CallContext{code, st.ColumnText(0), st.ColumnText(1), st.ColumnText(2),
                          FromUnixMillis(st.ColumnInt64(3)), FromUnixMillis(st.ColumnInt64(4))};
    }
  }
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement used, conn_->Prepare("DELETE FROM call_contexts WHERE code = ?1"));
    used.Bind(1, std::string_view(code));
    GOSLINE_RETURN_IF_ERROR(used.Run());
  }
  GOSLINE_RETURN_IF_ERROR(tx.Commit());
  return found;
}

}  // namespace gosline
