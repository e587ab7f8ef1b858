// How a Case maps to rows of cases, case_history and case_links in
// PostgreSQL: the select lists, the sealed values written for a case, and
// decoding that checks each value, so a damaged row becomes
// Status::Corruption naming row and column, not a crash or a wrong case.
// The contexts of sealed values are the SQLite engine's (sealed_fields.h).
#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/case.h"
#include "core/common/status.h"
#include "storage/row_cipher.h"

namespace gosline::postgres {

inline constexpr const char* kCaseColumns =
    "id, number, phone, portal_account_id, channel, topic, agency, region, priority, status, "
    "summary, created_at_ms, updated_at_ms, due_at_ms, version";
inline constexpr const char* kHistoryColumns = "case_id, seq, at_ms, actor, action, detail";
inline constexpr const char* kLinkColumns = "case_id, pos, kind, ref, at_ms";

// The stored form of a case's columns (phone .. due_at_ms), personal data
// sealed for row `id` when there is a cipher, and the phone lookup value
// (its keyed hash, or the phone itself in a clear database).
struct CaseColumns {
  std::string phone;
  std::optional<std::string> portal_account_id;
  std::string channel, topic, agency, region, priority, status;
  std::string summary;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> due_at_ms;
  std::string phone_hmac;
};
Result<CaseColumns> StoredColumns(const Case& c, int64_t id, const RowCipher* cipher);

// Decodes a kCaseColumns row into c; history and links untouched.
Status ReadCaseRow(const pqxx::row& row, Case& c, const RowCipher* cipher);
// Decodes a kHistoryColumns row; case_id receives the owning case.
Status ReadHistoryRow(const pqxx::row& row, int64_t& case_id, HistoryEntry& e,
                      const RowCipher* cipher);
// Decodes a kLinkColumns row; case_id receives the owning case.
Status ReadLinkRow(const pqxx::row& row, int64_t& case_id, CaseLink& l);

// A text[] literal ("{\"a\",\"b\"}") for `= ANY($1::text[])`.
std::string TextArray(const std::vector<std::string>& values);

}  // namespace gosline::postgres
