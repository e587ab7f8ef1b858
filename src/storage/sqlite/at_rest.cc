#include "storage/sqlite/at_rest.h"

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/sealed_fields.h"
#include "storage/sqlite/case_rows.h"

namespace gosline::sqlite {
namespace {

// One row of a table with sealed columns, as read for sealing or rotation.
struct Row {
  int64_t k1 = 0, k2 = 0;                         // primary key (k2: history seq)
  std::string aux;                                // login / call id, for contexts
  int64_t aux_int = 0;                            // call start, for contexts
  std::vector<std::optional<std::string>> values;  // the sealed columns
  std::optional<std::string> hash;                 // the phone lookup column
};

// How one table keeps personal data: which columns are sealed, under which
// context, and which phone column its lookup hash is made from.
struct TableSpec {
  std::string_view table;
  bool composite_key;                    // (case_id, seq) instead of id
  std::string_view aux;                  // extra select list for contexts, or ""
  std::vector<std::string_view> sealed;  // sealed columns
  std::string_view hash_column;          // "" = none
  int hash_source = -1;                  // index into `sealed` of the phone
  std::function<std::string(const Row&, std::string_view column)> context;
};

const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> kSpecs = {
      {"cases", false, "", {"phone", "portal_account_id", "summary"}, "phone_hmac", 0,
       [](const Row& r, std::string_view col) {
         return FieldContext(std::string("cases.") + std::string(col), r.k1);
       }},
      {"case_history", true, "", {"detail"}, "", -1,
       [](const Row& r, std::string_view) { return HistoryContext(r.k1, r.k2); }},
      {"call_records", false, "call_id, started_at_ms", {"from_number", "caller_e164", "digits"},
       "caller_hmac", 1,
       [](const Row& r, std::string_view col) {
         return CallRecordContext(col, r.aux, r.aux_int);
       }},
      {"consents", false, "", {"phone"}, "phone_hmac", 0,
       [](const Row& r, std::string_view) { return FieldContext("consents.phone", r.k1); }},
      {"users", false, "login", {"totp_secret", "totp_pending"}, "", -1,
       [](const Row& r, std::string_view) { return "users.totp_secret:" + r.aux; }},
  };
  return kSpecs;
}

std::string Join(const std::vector<std::string_view>& cols) {
  std::string out;
  for (std::string_view c : cols) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

// Reads up to `batch` rows after (k1, k2), in key order.
Result<std::vector<Row>> ReadBatch(SqliteConnection& conn, const TableSpec& t, int64_t k1,
                                   int64_t k2, int batch) {
  std::string sql = "SELECT " + std::string(t.composite_key ? "case_id, seq" : "id, 0");
  sql += ", " + Join(t.sealed);
  sql += ", " + (t.hash_column.empty() ? std::string("NULL") : std::string(t.hash_column));
  // Context columns: none, one text ("login"), or text and integer.
  if (t.aux.empty()) {
    sql += ", '', 0";
  } else {
    sql += ", " + std::string(t.aux);
    if (t.aux.find(',') == std::string_view::npos) sql += ", 0";
  }
  sql += " FROM " + std::string(t.table);
  sql += t.composite_key ? " WHERE (case_id, seq) > (?1, ?2) ORDER BY case_id, seq"
                         : " WHERE id > ?1 ORDER BY id";
  sql += " LIMIT " + std::to_string(batch);
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.Bind(1, k1);
  if (t.composite_key) stmt.Bind(2, k2);
  std::vector<Row> rows;
  const int n = static_cast<int>(t.sealed.size());
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool more, stmt.Step());
    if (!more) break;
    const Statement& s = stmt;
    Row& r = rows.emplace_back();
    r.k1 = s.ColumnInt64(0);
    r.k2 = s.ColumnInt64(1);
    for (int i = 0; i < n; ++i) r.values.push_back(s.ColumnOptionalText(2 + i));
    r.hash = s.ColumnOptionalText(2 + n);
    r.aux = s.ColumnText(3 + n);
    r.aux_int = s.ColumnInt64(4 + n);
  }
  return rows;
}

Status WriteRow(SqliteConnection& conn, const TableSpec& t, const Row& r) {
  std::string sql = "UPDATE " + std::string(t.table) + " SET ";
  int index = 1;
  for (std::string_view c : t.sealed) sql += std::string(c) + " = ?" + std::to_string(index++) + ", ";
  if (!t.hash_column.empty()) sql += std::string(t.hash_column) + " = ?" + std::to_string(index++) + ", ";
  sql.resize(sql.size() - 2);
  sql += t.composite_key ? " WHERE case_id = ?" + std::to_string(index) + " AND seq = ?" +
                               std::to_string(index + 1)
                         : " WHERE id = ?" + std::to_string(index);
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  int b = 1;
  for (const auto& v : r.values) stmt.Bind(b++, v);
  if (!t.hash_column.empty()) stmt.Bind(b++, r.hash);
  stmt.Bind(b++, r.k1);
  if (t.composite_key) stmt.Bind(b, r.k2);
  return stmt.Run();
}

enum class Mode { kSealClear, kRotate };

// Brings one row to the target state; returns whether it changed. A value
// that does not decrypt leaves the row as it was (error returned).
Result<bool> Transform(const TableSpec& t, const RowCipher& cipher, Mode mode, Row& r) {
  bool changed = false;
  std::optional<std::string> phone_plain;  // of the hash source, when known
  for (size_t i = 0; i < t.sealed.size(); ++i) {
    std::optional<std::string>& v = r.values[i];
    if (!v) continue;
    const std::string context = t.context(r, t.sealed[i]);
    const bool sealed = IsSealed(*v);
    std::optional<std::string> plain;
    if (!sealed) {
      plain = *v;  // in clear: both modes seal it
    } else if (mode == Mode::kRotate && cipher.NeedsRotation(*v)) {
      Result<std::string> opened = cipher.Unseal(*v, context);
      if (!opened.ok()) {
        return Status::Corruption(std::string(t.table) + " row " + std::to_string(r.k1) +
                                  ": column " + std::string(t.sealed[i]) + ": " +
                                  opened.status().message());
      }
      plain = std::move(*opened);
    }
    if (plain) {
      GOSLINE_ASSIGN_OR_RETURN(std::string resealed, cipher.Seal(*plain, context));
      v = std::move(resealed);
      changed = true;
      if (static_cast<int>(i) == t.hash_source) phone_plain = std::move(plain);
    }
  }
  if (t.hash_column.empty()) return changed;
  const std::optional<std::string>& source = r.values[static_cast<size_t>(t.hash_source)];
  if (!source) {
    if (!r.hash) return changed;
    r.hash.reset();
    return true;
  }
  // A clear database keeps the phone itself there: no key id, so stale too.
  if (r.hash && !phone_plain && !cipher.NeedsRotation(*r.hash)) return changed;
  if (!phone_plain) {
    Result<std::string> opened =
        cipher.Unseal(*source, t.context(r, t.sealed[static_cast<size_t>(t.hash_source)]));
    if (!opened.ok()) {
      return Status::Corruption(std::string(t.table) + " row " + std::to_string(r.k1) +
                                ": phone: " + opened.status().message());
    }
    phone_plain = std::move(*opened);
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, cipher.PhoneHash(*phone_plain));
  if (r.hash == hash) return changed;
  r.hash = std::move(hash);
  return true;
}

// Walks every table in batches of one write transaction each.
Result<RotationTotals> Walk(SqliteConnection& conn, const RowCipher& cipher, Mode mode, int batch,
                            const std::function<void(const RotationProgress&)>& progress) {
  if (batch < 1) batch = 1;
  RotationTotals totals;
  for (const TableSpec& t : Specs()) {
    int64_t k1 = 0, k2 = 0;
    for (;;) {
      GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn, Transaction::Kind::kWrite));
      GOSLINE_ASSIGN_OR_RETURN(std::vector<Row> rows, ReadBatch(conn, t, k1, k2, batch));
      if (rows.empty()) break;
      RotationProgress step{std::string(t.table), static_cast<int64_t>(rows.size()), 0};
      for (Row& r : rows) {
        Result<bool> changed = Transform(t, cipher, mode, r);
        if (!changed.ok()) {
          if (changed.status().code() != Status::Code::kCorruption) return changed.status();
          ++totals.failed;
          continue;
        }
        if (*changed) {
          GOSLINE_RETURN_IF_ERROR(WriteRow(conn, t, r));
          ++step.rotated;
        }
      }
      GOSLINE_RETURN_IF_ERROR(tx.Commit());
      k1 = rows.back().k1;
      k2 = rows.back().k2;
      totals.scanned += step.scanned;
      totals.rotated += step.rotated;
      if (progress) progress(step);
    }
  }
  return totals;
}

Result<bool> TableExists(SqliteConnection& conn, std::string_view name) {
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt,
      conn.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  stmt.Bind(1, name);
  return stmt.Step();
}

// The key check row, if any: value and sealed_all.
Result<std::optional<std::pair<std::string, bool>>> ReadKeyCheck(SqliteConnection& conn) {
  GOSLINE_ASSIGN_OR_RETURN(bool exists, TableExists(conn, "data_key_check"));
  if (!exists) return std::optional<std::pair<std::string, bool>>();
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt,
      conn.Prepare("SELECT value, sealed_all FROM data_key_check WHERE id = 1"));
  GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<std::pair<std::string, bool>>();
  return std::optional<std::pair<std::string, bool>>(
      std::pair(stmt.ColumnText(0), stmt.ColumnInt64(1) != 0));
}

}  // namespace

std::string CallRecordContext(std::string_view column, std::string_view call_id, int64_t started_ms) {
  return SealedCallRecordContext(column, call_id, started_ms);
}

Status CheckDataKey(SqliteConnection& conn, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(auto check, ReadKeyCheck(conn));
  if (!check) return Status::Ok();
  if (cipher == nullptr) {
    return Status::FailedPrecondition(
        "this database holds encrypted personal data but was opened without a data key "
        "(set security.key_file or GOSLINE_DATA_KEY); nothing was read or changed");
  }
  Status st = cipher->VerifyKeyCheck(check->first);
  if (st.ok()) return st;
  return Status::FailedPrecondition("the data key from " + cipher->source() +
                                    " does not open this database: " + st.message());
}

Result<int64_t> SealPlaintextRows(SqliteConnection& conn, const RowCipher& cipher, int batch) {
  GOSLINE_ASSIGN_OR_RETURN(auto check, ReadKeyCheck(conn));
  if (check && check->second) return int64_t{0};
  if (!check) {
    // First: from now on a process without the key is refused, so no row
    // is written in clear while the existing ones are being sealed.
    GOSLINE_ASSIGN_OR_RETURN(std::string value, cipher.MakeKeyCheck());
    GOSLINE_ASSIGN_OR_RETURN(Statement ins, conn.Prepare(
        "INSERT OR IGNORE INTO data_key_check (id, value, sealed_all) VALUES (1, ?1, 0)"));
    ins.Bind(1, std::string_view(value));
    GOSLINE_RETURN_IF_ERROR(ins.Run());
  }
  GOSLINE_ASSIGN_OR_RETURN(RotationTotals totals,
      Walk(conn, cipher, Mode::kSealClear, batch, nullptr));
  GOSLINE_RETURN_IF_ERROR(conn.Exec("UPDATE data_key_check SET sealed_all = 1 WHERE id = 1"));
  return totals.rotated;
}

Result<RotationTotals> RotateDataKeys(SqliteConnection& conn, const RowCipher& cipher, int batch,
                                      const std::function<void(const RotationProgress&)>& progress) {
  GOSLINE_RETURN_IF_ERROR(CheckDataKey(conn, &cipher));
  Result<RotationTotals> totals = Walk(conn, cipher, Mode::kRotate, batch, progress);
  if (!totals.ok()) return totals.status();
  if (totals->failed == 0) {
    GOSLINE_ASSIGN_OR_RETURN(std::string value, cipher.MakeKeyCheck());
    GOSLINE_ASSIGN_OR_RETURN(Statement up, conn.Prepare(
        "INSERT INTO data_key_check (id, value, sealed_all) VALUES (1, ?1, 1) "
        "ON CONFLICT (id) DO UPDATE SET value = excluded.value"));
    up.Bind(1, std::string_view(value));
    GOSLINE_RETURN_IF_ERROR(up.Run());
  }
  return totals;
}

}  // namespace gosline::sqlite
