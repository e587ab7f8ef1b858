#include "security/sqlite_audit_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <limits>

#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::security {
namespace {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_log(
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_head(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_forward BEFORE UPDATE ON audit_head
  WHEN NEW.seq <> OLD.seq + 1
  BEGIN SELECT RAISE(ABORT, 'audit head only moves forward by one'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
)sql";

AuditRecord RowToRecord(const Statement& s) {
  AuditRecord r;
  r.seq = s.ColumnInt64(0);
  r.at = FromUnixMillis(s.ColumnInt64(1));
  r.actor = s.ColumnBlob(2);
  r.action = s.ColumnBlob(3);
  r.object = s.ColumnBlob(4);
  r.detail = s.ColumnBlob(5);
  r.prev_hash = s.ColumnBlob(6);
  r.hash = s.ColumnBlob(7);
  return r;
}

constexpr const char* kSelectRows =
    "SELECT seq, at_ms, actor, action, object, detail, prev_hash, hash FROM audit_log "
    "WHERE seq >= ?1 ORDER BY seq LIMIT ?2";

// The head row; nullopt when there is none (an empty log).
Result<std::optional<AuditAnchor>> ReadHead(SqliteConnection& conn) {
  GOSLINE_ASSIGN_OR_RETURN(Statement st,
      conn.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
  GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<AuditAnchor>();
  return std::optional<AuditAnchor>(
      AuditAnchor{st.ColumnInt64(0), st.ColumnBlob(1)});
}

// Chains r (its content set) to the head as the transaction sees it (the
// records of the same group written before it included), writes it and
// moves the head by one. Runs inside the group's write transaction.
Status WriteNext(SqliteConnection& conn, AuditRecord& r, const AuditStore::Chain& chain) {
  GOSLINE_ASSIGN_OR_RETURN(std::optional<AuditAnchor> head, ReadHead(conn));
  chain(r, head);
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement ins, conn.Prepare(
        "INSERT INTO audit_log(seq, at_ms, actor, action, object, detail, prev_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    ins.Bind(1, r.seq);
    ins.Bind(2, ToUnixMillis(r.at));
    ins.Bind(3, std::string_view(r.actor));
    ins.Bind(4, std::string_view(r.action));
    ins.Bind(5, std::string_view(r.object));
    ins.Bind(6, std::string_view(r.detail));
    ins.Bind(7, std::string_view(r.prev_hash));
    ins.Bind(8, std::string_view(r.hash));
    GOSLINE_RETURN_IF_ERROR(ins.Run());
  }
  Result<Statement> up = conn.Prepare(head
                                          ? "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1"
                                          : "INSERT INTO audit_head(id, seq, hash) VALUES (1, ?1, ?2)");
  if (!up.ok()) return up.status();
  up->Bind(1, r.seq);
  up->Bind(2, std::string_view(r.hash));
  return up->Run();
}

// Appends that wait for one transaction: bounded so one commit stays short.
constexpr size_t kMaxGroup = 256;

}  // namespace

SqliteAuditStore::SqliteAuditStore(std::unique_ptr<sqlite::GroupCommitWriter> writer)
    : writer_(std::move(writer)) {}
SqliteAuditStore::~SqliteAuditStore() = default;

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn,
      SqliteConnection::Open(path, {}));
  GOSLINE_ASSIGN_OR_RETURN(std::string mode, conn->QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal" && path != ":memory:") {
    return Status::IoError("audit log: " + path + ": cannot use WAL mode (journal_mode is " +
                           mode + ")");
  }
  // FULL: the WAL is synced at every commit, so an appended record is durable.
  GOSLINE_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=FULL"));
  GOSLINE_RETURN_IF_ERROR(conn->Exec(kSchema));
  // kFailGroup: each record chains to the one before it, so a group is
  // written whole or not at all (no savepoint per record).
  return std::unique_ptr<SqliteAuditStore>(new SqliteAuditStore(
      std::make_unique<sqlite::GroupCommitWriter>(
          std::move(conn), kMaxGroup, sqlite::GroupCommitWriter::OnUnitError::kFailGroup)));
}

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("audit log: no database file at " + path);
  }
  sqlite::ConnectionOptions opts;
  opts.query_only = true;
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn,
      SqliteConnection::Open(path, opts));
  GOSLINE_ASSIGN_OR_RETURN(std::string exists,
      conn->QueryText("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='audit_log'"));
  if (exists != "1") return Status::NotFound("audit log: " + path + " has no audit_log table");
  return std::unique_ptr<SqliteAuditStore>(new SqliteAuditStore(
      std::make_unique<sqlite::GroupCommitWriter>(
          std::move(conn), 1, sqlite::GroupCommitWriter::OnUnitError::kFailGroup)));
}

Status SqliteAuditStore::Append(AuditRecord& r, const Chain& chain) {
  // seq and hashes are set when the group's leader writes r: the order
  // appends queued in is the chain's order.
  return writer_->Run([&r, &chain](SqliteConnection& conn) { return WriteNext(conn, r, chain); });
}

Result<std::vector<AuditRecord>> SqliteAuditStore::Read(int64_t from_seq, size_t limit) {
  std::vector<AuditRecord> out;
  GOSLINE_RETURN_IF_ERROR(writer_->WithConnection([&](SqliteConnection& conn) -> Status {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn.Prepare(kSelectRows));
    st.Bind(1, from_seq);
    st.Bind(2, static_cast<int64_t>(limit));
    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      out.push_back(RowToRecord(st));
    }
  }));
  return out;
}

Result<std::optional<AuditAnchor>> SqliteAuditStore::Head() {
  std::optional<AuditAnchor> anchor;
  GOSLINE_RETURN_IF_ERROR(writer_->WithConnection([&](SqliteConnection& conn) -> Status {
    GOSLINE_ASSIGN_OR_RETURN(anchor, ReadHead(conn));
    return Status::Ok();
  }));
  return anchor;
}

Status SqliteAuditStore::Scan(const std::function<void(const std::optional<AuditAnchor>&)>& head,
                              const std::function<bool(const AuditRecord&)>& visit) {
  return writer_->WithConnection([&](SqliteConnection& c) -> Status {
    // One read transaction: appends by others during the scan are not seen.
    GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(c, Transaction::Kind::kRead));
    GOSLINE_ASSIGN_OR_RETURN(std::optional<AuditAnchor> h, ReadHead(c));
    head(h);
    // Streamed: the statement walks the table, one record in memory at a time.
    GOSLINE_ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectRows));
    st.Bind(1, std::numeric_limits<int64_t>::min());  // rows with odd seqs are seen too
    st.Bind(2, int64_t{-1});  // no limit
    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row || !visit(RowToRecord(st))) return Status::Ok();
    }
  });
}

SqliteAuditStore::GroupStats SqliteAuditStore::group_stats() {
  sqlite::GroupCommitWriter::Stats s = writer_->stats();
  return GroupStats{s.groups, s.units};
}

size_t SqliteAuditStore::appends_in_flight() { return writer_->in_flight(); }

}  // namespace gosline::security
