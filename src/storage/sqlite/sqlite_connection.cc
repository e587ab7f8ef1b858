#include "storage/sqlite/sqlite_connection.h"

#include <utility>

namespace gosline::sqlite {

Status ErrorStatus(int rc, sqlite3* db, std::string_view what) {
  std::string msg = "sqlite: ";
  msg += what;
  msg += ": ";
  msg += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(std::move(msg));
      }
      return Status::InvalidArgument(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_MISMATCH:
      return Status::Corruption(std::move(msg));
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return Status::InvalidArgument(std::move(msg));
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
      return Status::IoError(std::move(msg));
    case SQLITE_NOMEM:
      return Status::ResourceExhausted(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), in_use_(other.in_use_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_ != nullptr) *in_use_ = false;
}

void Statement::Check(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string Statement::ColumnText(int col) const {
  // The text pointer first: sqlite3_column_bytes then counts the UTF-8 form.
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}

int64_t Statement::ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> Statement::ColumnOptionalInt64(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnInt64(col);
}

std::string Statement::ColumnBlob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

void Statement::Bind(int index, int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }

void Statement::Bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so callers may pass temporaries.
  Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8));
}

void Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value) {
    Bind(index, std::string_view(*value));
  } else {
    BindNull(index);
  }
}

void Statement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) {
    Bind(index, *value);
  } else {
    BindNull(index);
  }
}

void Statement::BindNull(int index) { Check(sqlite3_bind_null(stmt_, index)); }

Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return ErrorStatus(bind_rc_, db, "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorStatus(rc, db, sqlite3_sql(stmt_));
}

Status Statement::Run() {
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

// ---- SqliteConnection ----

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 const ConnectionOptions& opts) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (our own locking).
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = ErrorStatus(rc, db, "open " + path);
    sqlite3_close_v2(db);
    return st;
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(opts.busy_timeout.count()));
  if (opts.query_only) GOSLINE_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only=ON"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  sqlite3_free(err);
  return ErrorStatus(rc, db_, text.substr(0, 60));
}

Result<std::string> SqliteConnection::QueryText(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, db_, sql);
  rc = sqlite3_step(stmt);
  std::string out;
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out.assign(reinterpret_cast<const char*>(text));
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  Status st = rc == SQLITE_OK ? Status::Ok() : ErrorStatus(rc, db_, sql);
  sqlite3_finalize(stmt);
  if (!st.ok()) return st;
  return out;
}

Result<Statement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return ErrorStatus(rc, db_, sql);
    it = cache_.emplace(std::string(sql), Cached{stmt, false}).first;
  }
  // The same cached statement cannot serve two users at once.
  if (it->second.in_use) return Status::Internal("sqlite: statement already in use: " + it->first);
  it->second.in_use = true;
  return Statement(it->second.stmt, &it->second.in_use);
}

// ---- Transaction / Savepoint ----

namespace {
Status RunCached(SqliteConnection& conn, std::string_view sql) {
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  return stmt.Run();
}
}  // namespace

Result<Transaction> Transaction::Begin(SqliteConnection& conn, Kind kind) {
  GOSLINE_RETURN_IF_ERROR(RunCached(conn, kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(&conn);
}

Transaction::~Transaction() {
  if (conn_ == nullptr) return;
  // Nothing useful to do with a failed rollback here; SQLite rolls back
  // an open transaction itself when the connection closes.
  RunCached(*conn_, "ROLLBACK").IgnoreError();
}

Status Transaction::Commit() {
  if (conn_ == nullptr) return Status::Internal("sqlite: commit of a finished transaction");
  Status st = RunCached(*conn_, "COMMIT");
  if (st.ok()) conn_ = nullptr;  // on failure the destructor rolls back
  return st;
}

Result<Savepoint> Savepoint::Begin(SqliteConnection& conn) {
  GOSLINE_RETURN_IF_ERROR(RunCached(conn, "SAVEPOINT unit"));
  return Savepoint(&conn);
}

Savepoint::~Savepoint() {
  if (conn_ == nullptr) return;
  // A destructor cannot report; if these fail, the enclosing transaction
  // fails and rolls back, taking the unit with it.
  RunCached(*conn_, "ROLLBACK TO unit").IgnoreError();
  RunCached(*conn_, "RELEASE unit").IgnoreError();
}

Status Savepoint::Release() {
  if (conn_ == nullptr) return Status::Internal("sqlite: release of a finished savepoint");
  Status st = RunCached(*conn_, "RELEASE unit");
  if (st.ok()) conn_ = nullptr;
  return st;
}

}  // namespace gosline::sqlite
