#include "storage/sqlite/sqlite_case_store.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/cases/case_handlers.h"
#include "core/cases/case_number.h"
#include "core/common/system_clock.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/case_rows.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/migrations.h"
#include "storage/page_cursor.h"
#include "storage/sqlite/read_pool.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::BindFields;
using sqlite::InsertHistory;
using sqlite::InsertLink;
using sqlite::LoadDetails;
using sqlite::ReadCases;
using sqlite::SqliteConnection;
using sqlite::Statement;

std::optional<SqliteSync> ParseSqliteSync(std::string_view text) {
  if (text == "normal") return SqliteSync::kNormal;
  if (text == "full") return SqliteSync::kFull;
  return std::nullopt;
}

std::string_view ToString(SqliteSync s) { return s == SqliteSync::kFull ? "full" : "normal"; }

namespace {

// The sequence inside a number this engine could also generate, so a
// generated number never collides with an imported one (see InsertCase).
std::optional<int64_t> SequenceOf(const std::string& number) {
  if (!CaseNumber::IsValid(number)) return std::nullopt;
  int64_t seq = 0;
  std::from_chars(number.data(), number.data() + CaseNumber::kBodyDigits, seq);
  if (seq < 1) return std::nullopt;
  return seq;
}

Status LimitError(const char* field) {
  return Status::InvalidArgument(
      std::string(field) + " must be between 1 and " + std::to_string(kMaxPageSize), field);
}

// What the store assigned to a newly inserted case.
struct Inserted {
  int64_t id = 0;
  std::string number;
};

void ApplyInserted(Case& c, const Inserted& ins) {
  c.id = ins.id;
  c.number = ins.number;
  c.version = 1;
  for (size_t i = 0; i < c.history.size(); ++i) c.history[i].seq = static_cast<int64_t>(i) + 1;
}

Result<int64_t> QueryInt(SqliteConnection& conn, std::string_view sql, int64_t arg = 0) {
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  if (sqlite3_bind_parameter_count(stmt.raw()) > 0) stmt.Bind(1, arg);
  GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || sqlite3_column_type(stmt.raw(), 0) != SQLITE_INTEGER) {
    return Status::Corruption(std::string("expected an integer from: ") + std::string(sql));
  }
  return sqlite3_column_int64(stmt.raw(), 0);
}

// Inserts a case with its history and links, inside the caller's transaction.
// The id is max(id)+1, except for an imported number whose body is a
// sequence beyond every id: then id = that sequence, so later generated
// numbers (FromSequence(max(id)+1)) never meet it.
Result<Inserted> InsertCase(SqliteConnection& conn, const Case& c, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(int64_t max_id,
      QueryInt(conn, "SELECT COALESCE(MAX(id), 0) FROM cases"));
  Inserted ins{max_id + 1, c.number};
  if (c.number.empty()) {
    if (ins.id > CaseNumber::kMaxSequence) {
      return Status::ResourceExhausted("case numbers exhausted");
    }
    ins.number = CaseNumber::FromSequence(ins.id);
  } else if (std::optional<int64_t> seq = SequenceOf(c.number); seq && *seq > max_id) {
    ins.id = *seq;
  }

  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(
      "INSERT INTO cases (id, phone, portal_account_id, channel, topic, agency, region, "
      "priority, status, summary, created_at_ms, updated_at_ms, due_at_ms, number, version, "
      "phone_hmac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1, ?15)"));
  stmt.Bind(1, ins.id);
  GOSLINE_RETURN_IF_ERROR(BindFields(stmt, c, ins.id, cipher));
  stmt.Bind(14, std::string_view(ins.number));
  if (Status st = stmt.Run(); !st.ok()) {
    if (st.code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("case number " + ins.number + " already exists", "number");
    }
    return st;
  }
  for (size_t i = 0; i < c.history.size(); ++i) {
    GOSLINE_RETURN_IF_ERROR(
        InsertHistory(conn, ins.id, static_cast<int64_t>(i) + 1, c.history[i], cipher));
  }
  for (size_t i = 0; i < c.links.size(); ++i) {
    GOSLINE_RETURN_IF_ERROR(InsertLink(conn, ins.id, static_cast<int64_t>(i) + 1, c.links[i]));
  }
  return ins;
}

std::string CachePragma(int mib) {
  return "PRAGMA cache_size=-" + std::to_string(std::max(1, mib) * 1024) + ";";
}

std::string MmapPragma(int mib) {
  return "PRAGMA mmap_size=" + std::to_string(static_cast<int64_t>(std::max(0, mib)) << 20) + ";";
}

std::string SyncPragma(SqliteSync sync) {
  return sync == SqliteSync::kFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
}

// One value bound to a dynamically built search query.
using Arg = std::variant<int64_t, std::string>;

// "?, ?, ?" for an IN list of n values (n >= 1).
std::string Placeholders(size_t n) {
  std::string out = "?";
  for (size_t i = 1; i < n; ++i) out += ", ?";
  return out;
}

void BindArgs(Statement& stmt, const std::vector<Arg>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    if (const auto* n = std::get_if<int64_t>(&args[i])) {
      stmt.Bind(index, *n);
    } else {
      stmt.Bind(index, std::string_view(std::get<std::string>(args[i])));
    }
  }
}

}  // namespace

// ---- open ----

SqliteCaseStore::SqliteCaseStore(std::unique_ptr<sqlite::Checkpointer> checkpointer,
                                 std::unique_ptr<sqlite::GroupCommitWriter> writer,
                                 std::unique_ptr<sqlite::ReadPool> readers,
                                 std::shared_ptr<const RowCipher> cipher)
    : checkpointer_(std::move(checkpointer)),
      writer_(std::move(writer)),
      readers_(std::move(readers)),
      cipher_(std::move(cipher)) {}

Result<std::vector<std::string>> SqliteCaseStore::PhoneKeys(const std::string& phone) const {
  if (!cipher_) return std::vector<std::string>{phone};
  return cipher_->PhoneLookupHashes(phone);
}

SqliteCaseStore::~SqliteCaseStore() = default;

Result<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::Open(const std::string& path,
                                                               SqliteOptions opts) {
  const bool in_memory = path == ":memory:";
  sqlite::ConnectionOptions conn_opts;
  conn_opts.busy_timeout = opts.busy_timeout;

  GOSLINE_ASSIGN_OR_RETURN(auto writer, SqliteConnection::Open(path, conn_opts));
  SqliteConnection& w = *writer;
  GOSLINE_ASSIGN_OR_RETURN(std::string mode, w.QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal" && !(in_memory && mode == "memory")) {
    return Status::IoError("sqlite: " + path + ": cannot use WAL mode (journal_mode is " + mode +
                           ")");
  }
  // journal_size_limit: once checkpointed, a WAL that grew in a burst is
  // truncated back instead of keeping its peak size on disk.
  GOSLINE_RETURN_IF_ERROR(w.Exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                                 "PRAGMA journal_size_limit=67108864; " +
                                 CachePragma(opts.writer_cache_mib) + MmapPragma(opts.mmap_mib) +
                                 SyncPragma(opts.synchronous)));
  // The key is checked before migrations: a wrong one changes nothing.
  GOSLINE_RETURN_IF_ERROR(sqlite::CheckDataKey(w, opts.cipher.get()));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(w, SystemClock().Now()));
  if (opts.cipher) {
    GOSLINE_RETURN_IF_ERROR(sqlite::SealPlaintextRows(w, *opts.cipher, opts.seal_batch).status());
  }

  std::unique_ptr<sqlite::Checkpointer> checkpointer;
  std::unique_ptr<sqlite::ReadPool> readers;
  if (!in_memory) {
    GOSLINE_ASSIGN_OR_RETURN(auto cp_conn, SqliteConnection::Open(path, conn_opts));
    // The checkpoint's fsyncs follow the connection that runs it.
    GOSLINE_RETURN_IF_ERROR(cp_conn->Exec(SyncPragma(opts.synchronous)));
    checkpointer =
        std::make_unique<sqlite::Checkpointer>(std::move(cp_conn), opts.wal_checkpoint_pages);
    checkpointer->Attach(w);

    std::vector<std::unique_ptr<SqliteConnection>> conns;
    conn_opts.query_only = true;
    for (int i = 0; i < std::max(1, opts.read_connections); ++i) {
      GOSLINE_ASSIGN_OR_RETURN(auto r, SqliteConnection::Open(path, conn_opts));
      GOSLINE_RETURN_IF_ERROR(
          r->Exec(CachePragma(opts.reader_cache_mib) + MmapPragma(opts.mmap_mib)));
      conns.push_back(std::move(r));
    }
    readers = std::make_unique<sqlite::ReadPool>(std::move(conns));
  }
  auto group = std::make_unique<sqlite::GroupCommitWriter>(
      std::move(writer), static_cast<size_t>(std::max(1, opts.max_group_commit)));
  return std::unique_ptr<SqliteCaseStore>(
      new SqliteCaseStore(std::move(checkpointer), std::move(group), std::move(readers),
                          std::move(opts.cipher)));
}

Status SqliteCaseStore::Read(const std::function<Status(SqliteConnection&)>& fn) {
  auto in_transaction = [&fn](SqliteConnection& conn) -> Status {
    GOSLINE_ASSIGN_OR_RETURN(sqlite::Transaction tx,
        sqlite::Transaction::Begin(conn, sqlite::Transaction::Kind::kRead));
    GOSLINE_RETURN_IF_ERROR(fn(conn));
    return tx.Commit();
  };
  if (readers_) {
    sqlite::ReadPool::Lease lease = readers_->Acquire();
    return in_transaction(*lease);
  }
  return writer_->WithConnection(in_transaction);
}

// ---- writes ----

Result<Case> SqliteCaseStore::Create(const Case& c) {
  Inserted ins;
  Status st = writer_->Run([&](SqliteConnection& conn) -> Status {
    GOSLINE_ASSIGN_OR_RETURN(Inserted r, InsertCase(conn, c, cipher_.get()));
    ins = std::move(r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  Case out = c;
  ApplyInserted(out, ins);
  return out;
}

Status SqliteCaseStore::CreateBatch(std::vector<Case>& cases) {
  std::vector<Inserted> assigned;
  Status st = writer_->Run([&](SqliteConnection& conn) -> Status {
    assigned.clear();
    assigned.reserve(cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      Result<Inserted> r = InsertCase(conn, cases[i], cipher_.get());
      if (!r.ok()) {
        const Status& e = r.status();
        std::string msg = "case " + std::to_string(i + 1) + " of the batch";
        if (!cases[i].number.empty()) msg += " (number " + cases[i].number + ")";
        return e.code() == Status::Code::kAlreadyExists
                   ? Status::AlreadyExists(msg + ": " + e.message(), e.field())
                   : Status(e);
      }
      assigned.push_back(std::move(*r));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (size_t i = 0; i < cases.size(); ++i) ApplyInserted(cases[i], assigned[i]);
  return Status::Ok();
}

Status SqliteCaseStore::Update(Case& c, int64_t expected_version) {
  if (c.id <= 0) return Status::InvalidArgument("case was not loaded from the store", "id");
  std::vector<std::pair<size_t, int64_t>> new_seqs;  // history index -> assigned seq
  Status st = writer_->Run([&](SqliteConnection& conn) -> Status {
    new_seqs.clear();
    {
      GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(
          "UPDATE cases SET phone = ?2, portal_account_id = ?3, channel = ?4, topic = ?5, "
          "agency = ?6, region = ?7, priority = ?8, status = ?9, summary = ?10, "
          "created_at_ms = ?11, updated_at_ms = ?12, due_at_ms = ?13, version = ?14 + 1, "
          "phone_hmac = ?15 WHERE id = ?1 AND version = ?14"));
      stmt.Bind(1, c.id);
      GOSLINE_RETURN_IF_ERROR(BindFields(stmt, c, c.id, cipher_.get()));
      stmt.Bind(14, expected_version);
      GOSLINE_RETURN_IF_ERROR(stmt.Run());
    }
    if (conn.changes() == 0) {
      GOSLINE_ASSIGN_OR_RETURN(int64_t exists,
          QueryInt(conn, "SELECT COUNT(*) FROM cases WHERE id = ?1", c.id));
      if (exists == 0) return Status::NotFound("case " + c.number + " does not exist");
      return Status::Conflict("case " + c.number + " was changed by someone else (expected version " +
                              std::to_string(expected_version) + ")");
    }
    GOSLINE_ASSIGN_OR_RETURN(int64_t max_seq,
        QueryInt(conn, "SELECT COALESCE(MAX(seq), 0) FROM case_history WHERE case_id = ?1", c.id));
    int64_t next = max_seq;
    for (size_t i = 0; i < c.history.size(); ++i) {
      const HistoryEntry& e = c.history[i];
      if (e.seq != 0 && e.seq <= max_seq) continue;  // already stored
      GOSLINE_RETURN_IF_ERROR(InsertHistory(conn, c.id, ++next, e, cipher_.get()));
      new_seqs.emplace_back(i, next);
    }
    GOSLINE_ASSIGN_OR_RETURN(int64_t stored_links,
        QueryInt(conn, "SELECT COUNT(*) FROM case_links WHERE case_id = ?1", c.id));
    for (size_t i = static_cast<size_t>(stored_links); i < c.links.size(); ++i) {
      GOSLINE_RETURN_IF_ERROR(InsertLink(conn, c.id, static_cast<int64_t>(i) + 1, c.links[i]));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const auto& [index, seq] : new_seqs) c.history[index].seq = seq;
  c.version = expected_version + 1;
  return Status::Ok();
}

// ---- reads ----

Result<Case> SqliteCaseStore::GetByNumber(const std::string& number) {
  Case c;
  Status st = Read([&](SqliteConnection& conn) -> Status {
    static const std::string kSql =
        std::string("SELECT ") + sqlite::kCaseColumns + " FROM cases WHERE number = ?1";
    GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kSql));
    stmt.Bind(1, std::string_view(number));
    GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::NotFound("no case with number " + number);
    GOSLINE_RETURN_IF_ERROR(sqlite::ReadCaseRow(stmt.raw(), c, cipher_.get()));
    return LoadDetails(conn, c, cipher_.get());
  });
  if (!st.ok()) return st;
  return c;
}

Result<std::vector<Case>> SqliteCaseStore::FindByPhone(const std::string& e164, int limit) {
  if (limit < 1 || limit > kMaxPageSize) return LimitError("limit");
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, PhoneKeys(e164));
  std::vector<Case> out;
  Status st = Read([&](SqliteConnection& conn) -> Status {
    out.clear();
    const std::string sql = std::string("SELECT ") + sqlite::kCaseColumns +
                            " FROM cases WHERE phone_hmac IN (" + Placeholders(keys.size()) +
                            ") ORDER BY is_open DESC, created_at_ms DESC, id DESC LIMIT ?";
    GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
    int index = 1;
    for (const std::string& k : keys) stmt.Bind(index++, std::string_view(k));
    stmt.Bind(index, static_cast<int64_t>(limit));
    return ReadCases(stmt, out, cipher_.get());
  });
  if (!st.ok()) return st;
  return out;
}

Result<CasePage> SqliteCaseStore::Search(const CaseQuery& q) {
  if (q.limit < 1 || q.limit > kMaxPageSize) return LimitError("limit");
  std::optional<PageKey> after;
  if (!q.cursor.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(PageKey key, DecodeCursor(q.cursor));
    after = key;
  }
  // Phone searches put open cases first; the cursor follows the same order.
  const bool open_first = q.phone.has_value();
  std::string sql = std::string("SELECT ") + sqlite::kCaseColumns + " FROM cases WHERE 1";
  std::vector<Arg> args;
  auto where = [&](const char* cond, Arg value) {
    sql += " AND ";
    sql += cond;
    args.push_back(std::move(value));
  };
  if (q.phone) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, PhoneKeys(*q.phone));
    sql += " AND phone_hmac IN (" + Placeholders(keys.size()) + ")";
    for (std::string& k : keys) args.emplace_back(std::move(k));
  }
  if (q.status) where("status = ?", std::string(ToString(*q.status)));
  if (q.topic) where("topic = ?", *q.topic);
  if (q.region) where("region = ?", *q.region);
  if (q.agency) where("agency = ?", *q.agency);
  if (q.created_from) where("created_at_ms >= ?", ToUnixMillis(*q.created_from));
  if (q.created_to) where("created_at_ms < ?", ToUnixMillis(*q.created_to));
  if (q.scope) {
    // R20 in the query: rows outside the scope never reach a page or a cursor.
    sql += " AND (";
    if (!q.scope->topics.empty()) {
      sql += "topic IN (" + Placeholders(q.scope->topics.size()) + ") OR ";
      for (const std::string& t : q.scope->topics) args.emplace_back(t);
    }
    sql += "EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = cases.id AND h.actor = ?"
           " AND h.action IN (" + Placeholders(kHandlingActions.size()) + ")))";
    args.emplace_back(q.scope->handler);
    for (std::string_view a : kHandlingActions) args.emplace_back(std::string(a));
  }
  if (after) {
    if (open_first) {
      sql += " AND (is_open, created_at_ms, id) < (?, ?, ?)";
      args.emplace_back(after->open);
    } else {
      sql += " AND (created_at_ms, id) < (?, ?)";
    }
    args.emplace_back(after->created_ms);
    args.emplace_back(after->id);
  }
  sql += open_first ? " ORDER BY is_open DESC, created_at_ms DESC, id DESC"
                    : " ORDER BY created_at_ms DESC, id DESC";
  sql += " LIMIT ?";
  args.emplace_back(static_cast<int64_t>(q.limit) + 1);  // one more: is there a next page?

  CasePage page;
  Status st = Read([&](SqliteConnection& conn) -> Status {
    page.cases.clear();
    GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
    BindArgs(stmt, args);
    return ReadCases(stmt, page.cases, cipher_.get());
  });
  if (!st.ok()) return st;
  if (page.cases.size() > static_cast<size_t>(q.limit)) {
    page.cases.resize(static_cast<size_t>(q.limit));
    const Case& last = page.cases.back();
    page.next_cursor = EncodeCursor(
        {IsOpen(last.status) ? 1 : 0, ToUnixMillis(last.created_at), last.id});
  }
  return page;
}

Status SqliteCaseStore::ForEach(const std::function<bool(const Case&)>& visit) {
  return Read([&](SqliteConnection& conn) -> Status {
    // A merge of three id-ordered scans: one pass over each table.
    Result<Statement> cases =
        conn.Prepare(std::string("SELECT ") + sqlite::kCaseColumns + " FROM cases ORDER BY id");
    Result<Statement> history = conn.Prepare(std::string("SELECT ") + sqlite::kHistoryColumns +
                                             " FROM case_history ORDER BY case_id, seq");
    Result<Statement> links = conn.Prepare(std::string("SELECT ") + sqlite::kLinkColumns +
                                           " FROM case_links ORDER BY case_id, pos");
    if (!cases.ok()) return cases.status();
    if (!history.ok()) return history.status();
    if (!links.ok()) return links.status();

    // The next unconsumed history/link row, if any.
    int64_t h_owner = 0, l_owner = 0;
    HistoryEntry h;
    CaseLink l;
    bool h_has = false, l_has = false;
    auto next_history = [&]() -> Status {
      GOSLINE_ASSIGN_OR_RETURN(bool row, history->Step());
      h_has = row;
      return h_has ? sqlite::ReadHistoryRow(history->raw(), h_owner, h, cipher_.get())
                   : Status::Ok();
    };
    auto next_link = [&]() -> Status {
      GOSLINE_ASSIGN_OR_RETURN(bool row, links->Step());
      l_has = row;
      return l_has ? sqlite::ReadLinkRow(links->raw(), l_owner, l) : Status::Ok();
    };
    GOSLINE_RETURN_IF_ERROR(next_history());
    GOSLINE_RETURN_IF_ERROR(next_link());

    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, cases->Step());
      if (!row) return Status::Ok();
      Case c;
      GOSLINE_RETURN_IF_ERROR(sqlite::ReadCaseRow(cases->raw(), c, cipher_.get()));
      // Rows of ids below c.id belong to no case (foreign keys forbid them): skip.
      while (h_has && h_owner <= c.id) {
        if (h_owner == c.id) c.history.push_back(std::move(h));
        GOSLINE_RETURN_IF_ERROR(next_history());
      }
      while (l_has && l_owner <= c.id) {
        if (l_owner == c.id) c.links.push_back(std::move(l));
        GOSLINE_RETURN_IF_ERROR(next_link());
      }
      if (!visit(c)) return Status::Ok();
    }
  });
}

SqliteCaseStore::WriteStats SqliteCaseStore::write_stats() const {
  sqlite::GroupCommitWriter::Stats s = writer_->stats();
  return {s.groups, s.units};
}

Status SqliteCaseStore::Ping() {
  return Read([](SqliteConnection& conn) -> Status {
    Result<int64_t> one = QueryInt(conn, "SELECT 1");
    return one.ok() ? Status::Ok() : one.status();
  });
}

}  // namespace gosline
