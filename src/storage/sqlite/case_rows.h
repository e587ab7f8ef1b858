// How a Case maps to rows of cases, case_history and case_links: the column
// lists used by every query, and decoding that checks each value, so a
// damaged row becomes Status::Corruption instead of a crash or a wrong case.
#pragma once

#include <sqlite3.h>

#include "core/cases/case.h"
#include "core/common/status.h"

namespace gosline::sqlite {

// Select list for a case row; ReadCaseRow expects exactly these columns first.
inline constexpr const char* kCaseColumns =
    "id, number, phone, portal_account_id, channel, topic, agency, region, priority, status, "
    "summary, created_at_ms, updated_at_ms, due_at_ms, version";

// Select list for history rows, read by ReadHistoryRow from column `first`.
inline constexpr const char* kHistoryColumns = "case_id, seq, at_ms, actor, action, detail";
// Select list for link rows, read by ReadLinkRow from column `first`.
inline constexpr const char* kLinkColumns = "case_id, pos, kind, ref, at_ms";

// Decodes the current row (kCaseColumns) into c; history and links untouched.
Status ReadCaseRow(sqlite3_stmt* stmt, Case& c);
// Decodes a kHistoryColumns row; case_id receives the owning case.
Status ReadHistoryRow(sqlite3_stmt* stmt, int64_t& case_id, HistoryEntry& e);
// Decodes a kLinkColumns row; case_id receives the owning case.
Status ReadLinkRow(sqlite3_stmt* stmt, int64_t& case_id, CaseLink& l);

}  // namespace gosline::sqlite
