#include "storage/postgres/postgres_case_store.h"

#include <charconv>
#include <optional>
#include <utility>

#include "core/cases/case_handlers.h"
#include "core/cases/case_number.h"
#include "storage/page_cursor.h"
#include "storage/postgres/case_rows.h"
#include "storage/postgres/connection_pool.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

// Cases read per query by ForEach.
constexpr int kForEachBatch = 500;

// The statements of this store, prepared on each pooled connection.
constexpr const char* kNextId = "gosline_case_next_id";
constexpr const char* kInsert = "gosline_case_insert";
constexpr const char* kUpdate = "gosline_case_update";
constexpr const char* kExists = "gosline_case_exists";
constexpr const char* kInsertHistory = "gosline_case_insert_history";
constexpr const char* kInsertLink = "gosline_case_insert_link";
constexpr const char* kMaxSeq = "gosline_case_max_seq";
constexpr const char* kLinkCount = "gosline_case_link_count";
constexpr const char* kByNumber = "gosline_case_by_number";
constexpr const char* kHistoryOf = "gosline_case_history_of";
constexpr const char* kLinksOf = "gosline_case_links_of";
constexpr const char* kByPhone = "gosline_case_by_phone";

void PrepareStatements(ConnectionPool& pool) {
  // The next id: one past the last, or an imported number's sequence when
  // that is beyond it ($1; 0 for a generated number). The row lock is held
  // until the creating transaction ends (see migrations.cc).
  pool.Prepare(kNextId,
               "UPDATE case_id_counter SET last_id = GREATEST(last_id + 1, $1) WHERE id = 1 "
               "RETURNING last_id");
  pool.Prepare(kInsert,
               "INSERT INTO cases (id, phone, portal_account_id, channel, topic, agency, region, "
               "priority, status, summary, created_at_ms, updated_at_ms, due_at_ms, number, "
               "version, phone_hmac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
               "$13, $14, 1, $15)");
  pool.Prepare(kUpdate,
               "UPDATE cases SET phone = $2, portal_account_id = $3, channel = $4, topic = $5, "
               "agency = $6, region = $7, priority = $8, status = $9, summary = $10, "
               "created_at_ms = $11, updated_at_ms = $12, due_at_ms = $13, version = $14 + 1, "
               "phone_hmac = $15 WHERE id = $1 AND version = $14");
  pool.Prepare(kExists, "SELECT 1 FROM cases WHERE id = $1");
  pool.Prepare(kInsertHistory,
               "INSERT INTO case_history (case_id, seq, at_ms, actor, action, detail) "
               "VALUES ($1, $2, $3, $4, $5, $6)");
  pool.Prepare(kInsertLink,
               "INSERT INTO case_links (case_id, pos, kind, ref, at_ms) VALUES ($1, $2, $3, $4, $5)");
  pool.Prepare(kMaxSeq, "SELECT COALESCE(MAX(seq), 0) FROM case_history WHERE case_id = $1");
  pool.Prepare(kLinkCount, "SELECT COUNT(*) FROM case_links WHERE case_id = $1");
  pool.Prepare(kByNumber,
               std::string("SELECT ") + postgres::kCaseColumns + " FROM cases WHERE number = $1");
  pool.Prepare(kHistoryOf, std::string("SELECT ") + postgres::kHistoryColumns +
                               " FROM case_history WHERE case_id = $1 ORDER BY seq");
  pool.Prepare(kLinksOf, std::string("SELECT ") + postgres::kLinkColumns +
                             " FROM case_links WHERE case_id = $1 ORDER BY pos");
  pool.Prepare(kByPhone, std::string("SELECT ") + postgres::kCaseColumns +
                             " FROM cases WHERE phone_hmac = ANY($1::text[]) "
                             "ORDER BY is_open DESC, created_at_ms DESC, id DESC LIMIT $2");
}

// The sequence inside a number this engine could also generate, so a
// generated number never collides with an imported one.
int64_t SequenceOf(const std::string& number) {
  if (!CaseNumber::IsValid(number)) return 0;
  int64_t seq = 0;
  std::from_chars(number.data(), number.data() + CaseNumber::kBodyDigits, seq);
  return seq < 1 ? 0 : seq;
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

Status InsertHistory(pqxx::transaction_base& tx, int64_t case_id, int64_t seq,
                     const HistoryEntry& e, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::string detail,
      SealFieldIf(cipher, e.detail, SealedHistoryContext(case_id, seq)));
  tx.exec_prepared(kInsertHistory, case_id, seq, ToUnixMillis(e.at), e.actor, e.action, detail);
  return Status::Ok();
}

void InsertLink(pqxx::transaction_base& tx, int64_t case_id, int64_t pos, const CaseLink& l) {
  tx.exec_prepared(kInsertLink, case_id, pos, l.kind, l.ref, ToUnixMillis(l.at));
}

// Inserts a case with its history and links inside the caller's transaction.
Result<Inserted> InsertCase(pqxx::transaction_base& tx, const Case& c, const RowCipher* cipher) {
  Inserted ins;
  ins.id = tx.exec_prepared1(kNextId, SequenceOf(c.number))[0].as<int64_t>();
  ins.number = c.number;
  if (ins.number.empty()) {
    if (ins.id > CaseNumber::kMaxSequence) return Status::ResourceExhausted("case numbers exhausted");
    ins.number = CaseNumber::FromSequence(ins.id);
  }
  GOSLINE_ASSIGN_OR_RETURN(postgres::CaseColumns col, postgres::StoredColumns(c, ins.id, cipher));
  try {
    tx.exec_prepared(kInsert, ins.id, col.phone, col.portal_account_id, col.channel, col.topic,
                     col.agency, col.region, col.priority, col.status, col.summary,
                     col.created_at_ms, col.updated_at_ms, col.due_at_ms, ins.number,
                     col.phone_hmac);
  } catch (const pqxx::unique_violation&) {
    return Status::AlreadyExists("case number " + ins.number + " already exists", "number");
  }
  for (size_t i = 0; i < c.history.size(); ++i) {
    GOSLINE_RETURN_IF_ERROR(
        InsertHistory(tx, ins.id, static_cast<int64_t>(i) + 1, c.history[i], cipher));
  }
  for (size_t i = 0; i < c.links.size(); ++i) {
    InsertLink(tx, ins.id, static_cast<int64_t>(i) + 1, c.links[i]);
  }
  return ins;
}

Status ReadCases(const pqxx::result& rows, std::vector<Case>& out, const RowCipher* cipher) {
  for (const pqxx::row& row : rows) {
    GOSLINE_RETURN_IF_ERROR(postgres::ReadCaseRow(row, out.emplace_back(), cipher));
  }
  return Status::Ok();
}

Status LoadDetails(pqxx::transaction_base& tx, Case& c, const RowCipher* cipher) {
  for (const pqxx::row& row : tx.exec_prepared(kHistoryOf, c.id)) {
    int64_t owner = 0;
    GOSLINE_RETURN_IF_ERROR(
        postgres::ReadHistoryRow(row, owner, c.history.emplace_back(), cipher));
  }
  for (const pqxx::row& row : tx.exec_prepared(kLinksOf, c.id)) {
    int64_t owner = 0;
    GOSLINE_RETURN_IF_ERROR(postgres::ReadLinkRow(row, owner, c.links.emplace_back()));
  }
  return Status::Ok();
}

}  // namespace

PostgresCaseStore::PostgresCaseStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {
  PrepareStatements(db_->pool());
}

Result<std::vector<std::string>> PostgresCaseStore::PhoneKeys(const std::string& phone) const {
  if (db_->cipher() == nullptr) return std::vector<std::string>{phone};
  return db_->cipher()->PhoneLookupHashes(phone);
}

// ---- writes ----

Result<Case> PostgresCaseStore::Create(const Case& c) {
  Inserted ins;
  Status done = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    GOSLINE_ASSIGN_OR_RETURN(ins, InsertCase(tx, c, db_->cipher()));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  Case out = c;
  ApplyInserted(out, ins);
  return out;
}

Status PostgresCaseStore::CreateBatch(std::vector<Case>& cases) {
  std::vector<Inserted> assigned;
  Status done = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    assigned.clear();
    assigned.reserve(cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      Result<Inserted> r = InsertCase(tx, cases[i], db_->cipher());
      if (!r.ok()) {
        const Status& e = r.status();
        std::string msg = "case " + std::to_string(i + 1) + " of the batch";
        if (!cases[i].number.empty()) msg += " (number " + cases[i].number + ")";
        return e.code() == Status::Code::kAlreadyExists
                   ? Status::AlreadyExists(msg + ": " + e.message(), e.field())
                   : Status(e);
      }
      assigned.push_back(std::move(r).value());
    }
    return Status::Ok();
  });
  if (!done.ok()) return done;
  for (size_t i = 0; i < cases.size(); ++i) ApplyInserted(cases[i], assigned[i]);
  return Status::Ok();
}

Status PostgresCaseStore::Update(Case& c, int64_t expected_version) {
  if (c.id <= 0) return Status::InvalidArgument("case was not loaded from the store", "id");
  std::vector<std::pair<size_t, int64_t>> new_seqs;  // history index -> assigned seq
  GOSLINE_ASSIGN_OR_RETURN(postgres::CaseColumns col,
                           postgres::StoredColumns(c, c.id, db_->cipher()));
  Status done = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    new_seqs.clear();
    pqxx::result updated = tx.exec_prepared(
        kUpdate, c.id, col.phone, col.portal_account_id, col.channel, col.topic, col.agency,
        col.region, col.priority, col.status, col.summary, col.created_at_ms,
        col.updated_at_ms, col.due_at_ms, expected_version, col.phone_hmac);
    if (updated.affected_rows() == 0) {
      if (tx.exec_prepared(kExists, c.id).empty()) {
        return Status::NotFound("case " + c.number + " does not exist");
      }
      return Status::Conflict("case " + c.number +
                              " was changed by someone else (expected version " +
                              std::to_string(expected_version) + ")");
    }
    // The UPDATE holds the case's row lock: no other node appends now.
    const int64_t max_seq = tx.exec_prepared1(kMaxSeq, c.id)[0].as<int64_t>();
    int64_t next = max_seq;
    for (size_t i = 0; i < c.history.size(); ++i) {
      const HistoryEntry& e = c.history[i];
      if (e.seq != 0 && e.seq <= max_seq) continue;  // already stored
      GOSLINE_RETURN_IF_ERROR(InsertHistory(tx, c.id, ++next, e, db_->cipher()));
      new_seqs.emplace_back(i, next);
    }
    const int64_t stored_links = tx.exec_prepared1(kLinkCount, c.id)[0].as<int64_t>();
    for (size_t i = static_cast<size_t>(stored_links); i < c.links.size(); ++i) {
      InsertLink(tx, c.id, static_cast<int64_t>(i) + 1, c.links[i]);
    }
    return Status::Ok();
  });
  if (!done.ok()) return done;
  for (const auto& [index, seq] : new_seqs) c.history[index].seq = seq;
  c.version = expected_version + 1;
  return Status::Ok();
}

// ---- reads ----

Result<Case> PostgresCaseStore::GetByNumber(const std::string& number) {
  Case c;
  Status done = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    c = Case();
    pqxx::result rows = tx.exec_prepared(kByNumber, number);
    if (rows.empty()) return Status::NotFound("no case with number " + number);
    GOSLINE_RETURN_IF_ERROR(postgres::ReadCaseRow(rows[0], c, db_->cipher()));
    return LoadDetails(tx, c, db_->cipher());
  });
  if (!done.ok()) return done;
  return c;
}

Result<std::vector<Case>> PostgresCaseStore::FindByPhone(const std::string& e164, int limit) {
  if (limit < 1 || limit > kMaxPageSize) return LimitError("limit");
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, PhoneKeys(e164));
  std::vector<Case> out;
  Status done = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    return ReadCases(tx.exec_prepared(kByPhone, postgres::TextArray(keys), limit), out,
                     db_->cipher());
  });
  if (!done.ok()) return done;
  return out;
}

Result<CasePage> PostgresCaseStore::Search(const CaseQuery& q) {
  if (q.limit < 1 || q.limit > kMaxPageSize) return LimitError("limit");
  std::optional<PageKey> after;
  if (!q.cursor.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(PageKey key, DecodeCursor(q.cursor));
    after = key;
  }
  // Phone searches put open cases first; the cursor follows the same order.
  const bool open_first = q.phone.has_value();
  std::string sql = std::string("SELECT ") + postgres::kCaseColumns + " FROM cases WHERE TRUE";
  // Every value travels as a parameter, as text; the casts give its type.
  std::vector<std::string> args;
  auto param = [&args](std::string value, const char* type) {
    args.push_back(std::move(value));
    return "$" + std::to_string(args.size()) + "::" + type;
  };
  if (q.phone) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, PhoneKeys(*q.phone));
    sql += " AND phone_hmac = ANY(" + param(postgres::TextArray(keys), "text[]") + ")";
  }
  if (q.status) sql += " AND status = " + param(std::string(ToString(*q.status)), "text");
  if (q.topic) sql += " AND topic = " + param(*q.topic, "text");
  if (q.region) sql += " AND region = " + param(*q.region, "text");
  if (q.agency) sql += " AND agency = " + param(*q.agency, "text");
  if (q.created_from) {
    sql += " AND created_at_ms >= " +
           param(std::to_string(ToUnixMillis(*q.created_from)), "bigint");
  }
  if (q.created_to) {
    sql += " AND created_at_ms < " + param(std::to_string(ToUnixMillis(*q.created_to)), "bigint");
  }
  if (q.scope) {
    // R20 in the query, as the SQLite engine does: rows outside the
    // operator's scope never reach a page or a cursor.
    std::vector<std::string> actions(kHandlingActions.begin(), kHandlingActions.end());
    sql += " AND (";
    if (!q.scope->topics.empty()) {
      sql += "topic = ANY(" + param(postgres::TextArray(q.scope->topics), "text[]") + ") OR ";
    }
    sql += "EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = cases.id AND h.actor = " +
           param(q.scope->handler, "text") + " AND h.action = ANY(" +
           param(postgres::TextArray(actions), "text[]") + ")))";
  }
  if (after) {
    if (open_first) {
      sql += " AND (is_open, created_at_ms, id) < (" +
             param(std::to_string(after->open), "integer") + ", ";
    } else {
      sql += " AND (created_at_ms, id) < (";
    }
    sql += param(std::to_string(after->created_ms), "bigint") + ", " +
           param(std::to_string(after->id), "bigint") + ")";
  }
  sql += open_first ? " ORDER BY is_open DESC, created_at_ms DESC, id DESC"
                    : " ORDER BY created_at_ms DESC, id DESC";
  // One more than a page: is there a next page?
  sql += " LIMIT " + param(std::to_string(q.limit + 1), "bigint");

  CasePage page;
  Status done = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    page.cases.clear();
    return ReadCases(tx.exec_params(sql, pqxx::prepare::make_dynamic_params(args)),
                     page.cases, db_->cipher());
  });
  if (!done.ok()) return done;
  if (page.cases.size() > static_cast<size_t>(q.limit)) {
    page.cases.resize(static_cast<size_t>(q.limit));
    const Case& last = page.cases.back();
    page.next_cursor =
        EncodeCursor({IsOpen(last.status) ? 1 : 0, ToUnixMillis(last.created_at), last.id});
  }
  return page;
}

Status PostgresCaseStore::ForEach(const std::function<bool(const Case&)>& visit) {
  static const std::string kCases = std::string("SELECT ") + postgres::kCaseColumns +
                                    " FROM cases WHERE id > $1 ORDER BY id LIMIT $2";
  static const std::string kHistory = std::string("SELECT ") + postgres::kHistoryColumns +
                                      " FROM case_history WHERE case_id BETWEEN $1 AND $2 "
                                      "ORDER BY case_id, seq";
  static const std::string kLinks = std::string("SELECT ") + postgres::kLinkColumns +
                                    " FROM case_links WHERE case_id BETWEEN $1 AND $2 "
                                    "ORDER BY case_id, pos";
  return db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    // Batches of cases in id order, each merged with the history and links
    // of its id range: three reads per batch, none per case.
    int64_t last_id = 0;
    for (;;) {
      pqxx::result cases = tx.exec_params(kCases, last_id, kForEachBatch);
      if (cases.empty()) return Status::Ok();
      std::vector<Case> batch;
      GOSLINE_RETURN_IF_ERROR(ReadCases(cases, batch, db_->cipher()));
      const int64_t first = batch.front().id;
      last_id = batch.back().id;
      pqxx::result history = tx.exec_params(kHistory, first, last_id);
      pqxx::result links = tx.exec_params(kLinks, first, last_id);
      auto h = history.begin();
      auto l = links.begin();
      for (Case& c : batch) {
        for (; h != history.end(); ++h) {
          int64_t owner = 0;
          HistoryEntry e;
          GOSLINE_RETURN_IF_ERROR(postgres::ReadHistoryRow(*h, owner, e, db_->cipher()));
          if (owner > c.id) break;
          if (owner == c.id) c.history.push_back(std::move(e));
        }
        for (; l != links.end(); ++l) {
          int64_t owner = 0;
          CaseLink link;
          GOSLINE_RETURN_IF_ERROR(postgres::ReadLinkRow(*l, owner, link));
          if (owner > c.id) break;
          if (owner == c.id) c.links.push_back(std::move(link));
        }
        if (!visit(c)) return Status::Ok();
      }
    }
  });
}

Status PostgresCaseStore::Ping() {
  return db_->pool().Run(Access::kRead, [](pqxx::transaction_base& tx) -> Status {
    tx.exec1("SELECT 1");
    return Status::Ok();
  });
}

}  // namespace gosline
