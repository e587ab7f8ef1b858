#include "storage/sqlite/case_rows.h"

#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "storage/sealed_fields.h"

namespace gosline::sqlite {
namespace {

// Reads typed columns of one row; the first problem found is kept and
// reported with the table, the row and the column it concerns.
class RowReader {
 public:
  RowReader(sqlite3_stmt* stmt, const char* table) : stmt_(stmt), table_(table) {}

  void SetRowId(int64_t id) { row_id_ = id; }

  int64_t Int(int col) {
    if (!Expect(col, SQLITE_INTEGER)) return 0;
    return sqlite3_column_int64(stmt_, col);
  }
  std::optional<int64_t> OptInt(int col) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Int(col);
  }
  std::string Text(int col) {
    if (!Expect(col, SQLITE_TEXT)) return {};
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    int n = sqlite3_column_bytes(stmt_, col);
    return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n));
  }
  std::optional<std::string> OptText(int col) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  // A personal-data column: decrypted when sealed (row_cipher.h). A value
  // that does not decrypt fails this row only, naming row and column.
  std::string Sealed(int col, const RowCipher* cipher, const std::string& context) {
    std::string text = Text(col);
    if (!status_.ok() || !IsSealed(text)) return text;
    if (cipher == nullptr) {
      Fail(col, "encrypted, but the store was opened without a data key");
      return {};
    }
    Result<std::string> plain = cipher->Unseal(text, context);
    if (!plain.ok()) {
      Fail(col, "cannot decrypt: " + plain.status().message());
      return {};
    }
    return std::move(plain).value();
  }
  std::optional<std::string> OptSealed(int col, const RowCipher* cipher, const std::string& context) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Sealed(col, cipher, context);
  }
  // Parses a stored enum name; unknown names are corruption.
  template <typename E, typename Parse>
  E Enum(int col, Parse parse, E fallback) {
    std::string text = Text(col);
    if (!status_.ok()) return fallback;
    std::optional<E> v = parse(text);
    if (!v) {
      Fail(col, "unknown value '" + text + "'");
      return fallback;
    }
    return *v;
  }

  const Status& status() const { return status_; }

 private:
  bool Expect(int col, int type) {
    int actual = sqlite3_column_type(stmt_, col);
    if (actual == type) return true;
    static constexpr const char* kNames[] = {"?", "integer", "real", "text", "blob", "null"};
    std::string msg = std::string("expected ") + kNames[type] + ", found " +
                      (actual >= 1 && actual <= 5 ? kNames[actual] : "?");
    Fail(col, msg);
    return false;
  }
  void Fail(int col, const std::string& what) {
    if (!status_.ok()) return;
    const char* name = sqlite3_column_name(stmt_, col);
    status_ = Status::Corruption(std::string(table_) + " row " +
                                 (row_id_ ? std::to_string(*row_id_) : std::string("?")) +
                                 ": column " + (name ? name : "?") + ": " + what);
  }

  sqlite3_stmt* stmt_;
  const char* table_;
  std::optional<int64_t> row_id_;
  Status status_;
};

}  // namespace

bool IsSealed(std::string_view value) { return IsSealedField(value); }

std::string FieldContext(std::string_view column, int64_t row) {
  return SealedFieldContext(column, row);
}

std::string HistoryContext(int64_t case_id, int64_t seq) {
  return SealedHistoryContext(case_id, seq);
}

Status ReadCaseRow(sqlite3_stmt* stmt, Case& c, const RowCipher* cipher) {
  RowReader r(stmt, "cases");
  c.id = r.Int(0);
  r.SetRowId(c.id);
  c.number = r.Text(1);
  c.phone = r.Sealed(2, cipher, FieldContext("cases.phone", c.id));
  c.portal_account_id = r.OptSealed(3, cipher, FieldContext("cases.portal_account_id", c.id));
  c.channel = r.Enum(4, ParseChannel, Channel::kCall);
  c.topic = r.Text(5);
  c.agency = r.Text(6);
  c.region = r.Text(7);
  c.priority = r.Enum(8, ParsePriority, Priority::kNormal);
  c.status = r.Enum(9, ParseCaseStatus, CaseStatus::kNew);
  c.summary = r.Sealed(10, cipher, FieldContext("cases.summary", c.id));
  c.created_at = FromUnixMillis(r.Int(11));
  c.updated_at = FromUnixMillis(r.Int(12));
  std::optional<int64_t> due = r.OptInt(13);
  c.due_at = due ? std::optional<Time>(FromUnixMillis(*due)) : std::nullopt;
  c.version = r.Int(14);
  return r.status();
}

Status ReadHistoryRow(sqlite3_stmt* stmt, int64_t& case_id, HistoryEntry& e,
                      const RowCipher* cipher) {
  RowReader r(stmt, "case_history");
  case_id = r.Int(0);
  r.SetRowId(case_id);
  e.seq = r.Int(1);
  e.at = FromUnixMillis(r.Int(2));
  e.actor = r.Text(3);
  e.action = r.Text(4);
  e.detail = r.Sealed(5, cipher, HistoryContext(case_id, e.seq));
  return r.status();
}

Status ReadLinkRow(sqlite3_stmt* stmt, int64_t& case_id, CaseLink& l) {
  RowReader r(stmt, "case_links");
  case_id = r.Int(0);
  r.SetRowId(case_id);
  (void)r.Int(1);  // pos: order only
  l.kind = r.Text(2);
  l.ref = r.Text(3);
  l.at = FromUnixMillis(r.Int(4));
  return r.status();
}

// ---- writing and loading ----

Result<std::string> SealIf(const RowCipher* cipher, std::string_view plain,
                           const std::string& context) {
  return SealFieldIf(cipher, plain, context);
}

Status InsertHistory(SqliteConnection& conn, int64_t case_id, int64_t seq, const HistoryEntry& e,
                     const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::string detail,
      SealIf(cipher, e.detail, HistoryContext(case_id, seq)));
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(
      "INSERT INTO case_history (case_id, seq, at_ms, actor, action, detail) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt.Bind(1, case_id);
  stmt.Bind(2, seq);
  stmt.Bind(3, ToUnixMillis(e.at));
  stmt.Bind(4, std::string_view(e.actor));
  stmt.Bind(5, std::string_view(e.action));
  stmt.Bind(6, std::string_view(detail));
  return stmt.Run();
}

Status InsertLink(SqliteConnection& conn, int64_t case_id, int64_t pos, const CaseLink& l) {
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(
      "INSERT INTO case_links (case_id, pos, kind, ref, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)"));
  stmt.Bind(1, case_id);
  stmt.Bind(2, pos);
  stmt.Bind(3, std::string_view(l.kind));
  stmt.Bind(4, std::string_view(l.ref));
  stmt.Bind(5, ToUnixMillis(l.at));
  return stmt.Run();
}

namespace {

std::optional<int64_t> DueMillis(const Case& c) {
  return c.due_at ? std::optional<int64_t>(ToUnixMillis(*c.due_at)) : std::nullopt;
}

}  // namespace

Status BindFields(Statement& stmt, const Case& c, int64_t id, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::string phone,
      SealIf(cipher, c.phone, FieldContext("cases.phone", id)));
  GOSLINE_ASSIGN_OR_RETURN(std::string summary,
      SealIf(cipher, c.summary, FieldContext("cases.summary", id)));
  std::optional<std::string> portal;
  if (c.portal_account_id) {
    GOSLINE_ASSIGN_OR_RETURN(std::string sealed,
        SealIf(cipher, *c.portal_account_id, FieldContext("cases.portal_account_id", id)));
    portal = std::move(sealed);
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string hash,
      cipher ? cipher->PhoneHash(c.phone) : Result<std::string>(c.phone));
  stmt.Bind(2, std::string_view(phone));
  stmt.Bind(3, portal);
  stmt.Bind(4, ToString(c.channel));
  stmt.Bind(5, std::string_view(c.topic));
  stmt.Bind(6, std::string_view(c.agency));
  stmt.Bind(7, std::string_view(c.region));
  stmt.Bind(8, ToString(c.priority));
  stmt.Bind(9, ToString(c.status));
  stmt.Bind(10, std::string_view(summary));
  stmt.Bind(11, ToUnixMillis(c.created_at));
  stmt.Bind(12, ToUnixMillis(c.updated_at));
  stmt.Bind(13, DueMillis(c));
  stmt.Bind(15, std::string_view(hash));
  return Status::Ok();
}

// Adds history and links to a case read without them.
Status LoadDetails(SqliteConnection& conn, Case& c, const RowCipher* cipher) {
  {
    static const std::string kSql = std::string("SELECT ") + kHistoryColumns +
                                    " FROM case_history WHERE case_id = ?1 ORDER BY seq";
    GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kSql));
    stmt.Bind(1, c.id);
    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      int64_t owner = 0;
      HistoryEntry& e = c.history.emplace_back();
      GOSLINE_RETURN_IF_ERROR(ReadHistoryRow(stmt.raw(), owner, e, cipher));
    }
  }
  static const std::string kSql = std::string("SELECT ") + kLinkColumns +
                                  " FROM case_links WHERE case_id = ?1 ORDER BY pos";
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kSql));
  stmt.Bind(1, c.id);
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    int64_t owner = 0;
    CaseLink& l = c.links.emplace_back();
    GOSLINE_RETURN_IF_ERROR(ReadLinkRow(stmt.raw(), owner, l));
  }
  return Status::Ok();
}

// Reads every row of a prepared case query (summary view).
Status ReadCases(Statement& stmt, std::vector<Case>& out, const RowCipher* cipher) {
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    GOSLINE_RETURN_IF_ERROR(ReadCaseRow(stmt.raw(), out.emplace_back(), cipher));
  }
}

}  // namespace gosline::sqlite
