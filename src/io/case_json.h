// A case as one line of a JSON Lines file: what export writes and import reads.
// The export object names the same fields as the CSV columns, plus id,
// version, history and links; import accepts every field export writes, so an
// export re-imports as it is (id, version and history seq are reassigned).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/cases/case.h"
#include "io/case_row.h"

namespace gosline {

// Fields in a fixed, readable order (ordered_json keeps insertion order).
nlohmann::ordered_json CaseToJson(const Case& c);

// Reads one line of text (already known not to be blank). Syntax errors,
// wrong types and unknown fields end up in CaseRow::problems.
CaseRow CaseRowFromJsonLine(std::string_view text, int line);

}  // namespace gosline
