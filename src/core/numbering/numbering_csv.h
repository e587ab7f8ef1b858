// Parser for the regulator's published CSV of ABC/DEF numbering ranges
// (opendata.digital.gov.ru, formerly rossvyaz.gov.ru), passed in as text; the
// adapter reads the file. The register's header is
//     АВС/ DEF;От;До;Емкость;Оператор;Регион[;ИНН...]
// Columns are found by their header names, so extra columns (newer files add
// ИНН) are ignored; a comma-separated copy (as spreadsheets save it) is
// accepted too, with "quoted" fields. A file without a header is read in the
// standard column order.
#pragma once

#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/numbering/numbering_range.h"

namespace gosline::numbering {

// Every row, in file order. Fails with InvalidArgument listing the wrong rows
// as "line N: ..." (the first few and how many more), so one run shows what
// is wrong with a downloaded file.
Result<std::vector<NumberingRange>> ParseNumberingCsv(std::string_view text);

}  // namespace gosline::numbering
