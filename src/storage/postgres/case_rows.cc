#include "storage/postgres/case_rows.h"

#include <string_view>
#include <utility>

#include "storage/sealed_fields.h"

namespace gosline::postgres {
namespace {

// Reads typed columns of one row; the first problem found is kept and
// reported with the table, the row and the column it concerns.
class RowReader {
 public:
  RowReader(const pqxx::row& row, const char* table) : row_(row), table_(table) {}

  void SetRowId(int64_t id) { row_id_ = id; }

  int64_t Int(int col) {
    const pqxx::field f = row_[col];
    if (f.is_null()) {
      Fail(col, "expected integer, found null");
      return 0;
    }
    int64_t v = 0;
    if (!f.to(v)) Fail(col, "expected integer, found '" + std::string(f.c_str()) + "'");
    return v;
  }
  std::optional<int64_t> OptInt(int col) {
    if (row_[col].is_null()) return std::nullopt;
    return Int(col);
  }
  std::string Text(int col) {
    const pqxx::field f = row_[col];
    if (f.is_null()) {
      Fail(col, "expected text, found null");
      return {};
    }
    return std::string(f.c_str(), f.size());
  }
  // A personal-data column: decrypted when sealed (row_cipher.h).
  std::string Sealed(int col, const RowCipher* cipher, const std::string& context) {
    std::string text = Text(col);
    if (!status_.ok() || !IsSealedField(text)) return text;
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
  std::optional<std::string> OptSealed(int col, const RowCipher* cipher,
                                       const std::string& context) {
    if (row_[col].is_null()) return std::nullopt;
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
  void Fail(int col, const std::string& what) {
    if (!status_.ok()) return;
    status_ = Status::Corruption(std::string(table_) + " row " +
                                 (row_id_ ? std::to_string(*row_id_) : std::string("?")) +
                                 ": column " + row_[col].name() + ": " + what);
  }

  const pqxx::row& row_;
  const char* table_;
  std::optional<int64_t> row_id_;
  Status status_;
};

}  // namespace

Result<CaseColumns> StoredColumns(const Case& c, int64_t id, const RowCipher* cipher) {
  CaseColumns out;
  GOSLINE_ASSIGN_OR_RETURN(out.phone,
      SealFieldIf(cipher, c.phone, SealedFieldContext("cases.phone", id)));
  GOSLINE_ASSIGN_OR_RETURN(out.summary,
      SealFieldIf(cipher, c.summary, SealedFieldContext("cases.summary", id)));
  if (c.portal_account_id) {
    GOSLINE_ASSIGN_OR_RETURN(std::string sealed,
        SealFieldIf(cipher, *c.portal_account_id,
                    SealedFieldContext("cases.portal_account_id", id)));
    out.portal_account_id = std::move(sealed);
  }
  GOSLINE_ASSIGN_OR_RETURN(out.phone_hmac,
      cipher ? cipher->PhoneHash(c.phone) : Result<std::string>(c.phone));
  out.channel = std::string(ToString(c.channel));
  out.topic = c.topic;
  out.agency = c.agency;
  out.region = c.region;
  out.priority = std::string(ToString(c.priority));
  out.status = std::string(ToString(c.status));
  out.created_at_ms = ToUnixMillis(c.created_at);
  out.updated_at_ms = ToUnixMillis(c.updated_at);
  if (c.due_at) out.due_at_ms = ToUnixMillis(*c.due_at);
  return out;
}

Status ReadCaseRow(const pqxx::row& row, Case& c, const RowCipher* cipher) {
  RowReader r(row, "cases");
  c.id = r.Int(0);
  r.SetRowId(c.id);
  c.number = r.Text(1);
  c.phone = r.Sealed(2, cipher, SealedFieldContext("cases.phone", c.id));
  c.portal_account_id =
      r.OptSealed(3, cipher, SealedFieldContext("cases.portal_account_id", c.id));
  c.channel = r.Enum(4, ParseChannel, Channel::kCall);
  c.topic = r.Text(5);
  c.agency = r.Text(6);
  c.region = r.Text(7);
  c.priority = r.Enum(8, ParsePriority, Priority::kNormal);
  c.status = r.Enum(9, ParseCaseStatus, CaseStatus::kNew);
  c.summary = r.Sealed(10, cipher, SealedFieldContext("cases.summary", c.id));
  c.created_at = FromUnixMillis(r.Int(11));
  c.updated_at = FromUnixMillis(r.Int(12));
  std::optional<int64_t> due = r.OptInt(13);
  c.due_at = due ? std::optional<Time>(FromUnixMillis(*due)) : std::nullopt;
  c.version = r.Int(14);
  return r.status();
}

Status ReadHistoryRow(const pqxx::row& row, int64_t& case_id, HistoryEntry& e,
                      const RowCipher* cipher) {
  RowReader r(row, "case_history");
  case_id = r.Int(0);
  r.SetRowId(case_id);
  e.seq = r.Int(1);
  e.at = FromUnixMillis(r.Int(2));
  e.actor = r.Text(3);
  e.action = r.Text(4);
  e.detail = r.Sealed(5, cipher, SealedHistoryContext(case_id, e.seq));
  return r.status();
}

Status ReadLinkRow(const pqxx::row& row, int64_t& case_id, CaseLink& l) {
  RowReader r(row, "case_links");
  case_id = r.Int(0);
  r.SetRowId(case_id);
  (void)r.Int(1);  // pos: order only
  l.kind = r.Text(2);
  l.ref = r.Text(3);
  l.at = FromUnixMillis(r.Int(4));
  return r.status();
}

std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char ch : v) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace gosline::postgres
