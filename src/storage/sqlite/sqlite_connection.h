// One SQLite connection with its cache of prepared statements, and the small
// RAII helpers used around it (Statement, Transaction). A connection is not
// thread-safe: whoever holds it (the writer, a read-pool lease) owns it.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/common/status.h"

namespace gosline::sqlite {

// Turns an SQLite result code into a Status; `what` says what we were doing.
Status ErrorStatus(int rc, sqlite3* db, std::string_view what);

// A cached prepared statement while in use. On destruction it is reset and
// unbound, ready for the next user. Bind errors are kept and reported by Step.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, bool* in_use) : stmt_(stmt), in_use_(in_use) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void Bind(int index, int64_t value);
  void Bind(int index, std::string_view value);
  void Bind(int index, const std::optional<std::string>& value);
  void Bind(int index, const std::optional<int64_t>& value);
  void BindNull(int index);

  // true: a row is ready; false: done. Errors become Status.
  Result<bool> Step();
  // Steps to completion of a statement that returns no rows.
  Status Run();

  // The current row's columns (after Step returned true), 0-based. SQL NULL
  // reads as "" / 0 from the plain getters and as nullopt from the optional ones.
  bool ColumnIsNull(int col) const;
  std::string ColumnText(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;
  int64_t ColumnInt64(int col) const;
  std::optional<int64_t> ColumnOptionalInt64(int col) const;
  // The stored bytes as they are (a BLOB, or a TEXT without conversion).
  std::string ColumnBlob(int col) const;

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  void Check(int rc);

  sqlite3_stmt* stmt_;
  bool* in_use_;
  int bind_rc_ = SQLITE_OK;
};

struct ConnectionOptions {
  bool query_only = false;            // read-pool connections refuse writes
  std::chrono::milliseconds busy_timeout{5000};
};

class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        const ConnectionOptions& opts);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs SQL text that may hold several statements (schema, pragmas).
  Status Exec(std::string_view sql);
  // Runs a single-value query such as "PRAGMA journal_mode=WAL".
  Result<std::string> QueryText(std::string_view sql);
  // A prepared statement from this connection's cache (prepared on first use).
  Result<Statement> Prepare(std::string_view sql);

  sqlite3* handle() const { return db_; }
  int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Cached> cache_;
};

// A transaction on one connection: rolled back unless committed.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };  // BEGIN (deferred) / BEGIN IMMEDIATE
  static Result<Transaction> Begin(SqliteConnection& conn, Kind kind);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(SqliteConnection* conn) : conn_(conn) {}
  SqliteConnection* conn_;  // null once committed or rolled back
};

// SAVEPOINT/RELEASE around one unit inside a larger transaction, so a
// failing unit can be undone alone (group commit, batches).
class Savepoint {
 public:
  static Result<Savepoint> Begin(SqliteConnection& conn);
  Savepoint(Savepoint&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();  // rolls back to the savepoint unless released

  Status Release();

 private:
  explicit Savepoint(SqliteConnection* conn) : conn_(conn) {}
  SqliteConnection* conn_;
};

}  // namespace gosline::sqlite
