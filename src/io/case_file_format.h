// The two file formats of historical cases (R17) and the columns they share.
// CSV carries the case fields and the notes as one text; JSON Lines (one JSON
// object a line) carries the whole case, history and links included.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace gosline {

enum class CaseFileFormat { kCsv, kJsonLines };

// "csv" or "jsonl".
std::string_view ToString(CaseFileFormat f);
std::optional<CaseFileFormat> ParseCaseFileFormat(std::string_view name);
// By extension: .csv -> CSV, .jsonl/.ndjson -> JSON Lines (case-insensitive).
std::optional<CaseFileFormat> CaseFileFormatFromPath(std::string_view path);

// The CSV columns, in the order export writes them. Import accepts them in any
// order; kRequiredCaseColumns must be present, the others may be left out.
inline constexpr std::array<std::string_view, 14> kCaseColumns{
    "number",   "phone",  "portal_account_id", "channel",    "topic",      "agency", "region",
    "priority", "status", "summary",           "created_at", "updated_at", "due_at", "notes",
};
inline constexpr std::array<std::string_view, 3> kRequiredCaseColumns{"phone", "topic",
                                                                      "created_at"};

}  // namespace gosline
