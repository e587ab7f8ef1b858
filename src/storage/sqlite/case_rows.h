// How a Case maps to rows of cases, case_history and case_links: the column
// lists used by every query, the statements that write rows, and decoding
// that checks each value, so a damaged row becomes Status::Corruption
// instead of a crash or a wrong case.
#pragma once

#include <sqlite3.h>

#include <vector>

#include "core/cases/case.h"
#include "core/common/status.h"
#include "storage/row_cipher.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

// Select list for a case row; ReadCaseRow expects exactly these columns first.
inline constexpr const char* kCaseColumns =
    "id, number, phone, portal_account_id, channel, topic, agency, region, priority, status, "
    "summary, created_at_ms, updated_at_ms, due_at_ms, version";

// Select list for history rows, read by ReadHistoryRow from column `first`.
inline constexpr const char* kHistoryColumns = "case_id, seq, at_ms, actor, action, detail";
// Select list for link rows, read by ReadLinkRow from column `first`.
inline constexpr const char* kLinkColumns = "case_id, pos, kind, ref, at_ms";

// Personal-data columns (phone, portal_account_id, summary, history detail)
// are sealed by `cipher` when it is set, kept in clear when it is null. The
// readers decrypt sealed values; one that does not decrypt is Corruption
// naming its row and column.
bool IsSealed(std::string_view value);
// The associated data binding a sealed value to its column and row.
std::string FieldContext(std::string_view column, int64_t row);   // "cases.phone:42"
std::string HistoryContext(int64_t case_id, int64_t seq);       // "case_history.detail:42.3"
// cipher ? cipher->Seal(plain, context) : plain.
Result<std::string> SealIf(const RowCipher* cipher, std::string_view plain,
                           const std::string& context);

// Decodes the current row (kCaseColumns) into c; history and links untouched.
Status ReadCaseRow(sqlite3_stmt* stmt, Case& c, const RowCipher* cipher);
// Decodes a kHistoryColumns row; case_id receives the owning case.
Status ReadHistoryRow(sqlite3_stmt* stmt, int64_t& case_id, HistoryEntry& e,
                      const RowCipher* cipher);
// Decodes a kLinkColumns row; case_id receives the owning case.
Status ReadLinkRow(sqlite3_stmt* stmt, int64_t& case_id, CaseLink& l);

// Reads every remaining row of a kCaseColumns query (summary view).
Status ReadCases(Statement& stmt, std::vector<Case>& out, const RowCipher* cipher);
// Adds the history and links of a case read without them.
Status LoadDetails(SqliteConnection& conn, Case& c, const RowCipher* cipher);

// Binds the stored fields of case row `id` as ?2..?13 (phone .. due_at_ms, in
// the order of kCaseColumns without id and number) and the phone lookup
// value as ?15, shared by INSERT and UPDATE.
Status BindFields(Statement& stmt, const Case& c, int64_t id, const RowCipher* cipher);
Status InsertHistory(SqliteConnection& conn, int64_t case_id, int64_t seq, const HistoryEntry& e,
                     const RowCipher* cipher);
// pos: 1-based position of the link within its case.
Status InsertLink(SqliteConnection& conn, int64_t case_id, int64_t pos, const CaseLink& l);

}  // namespace gosline::sqlite
