// Cells of the CSV files the API hands out (RFC 4180): a field with a comma,
// quote or line break is quoted with its quotes doubled, records end in CRLF.
// Text that a spreadsheet would run as a formula (it starts with = + - @ or
// a tab or carriage return) gets a leading apostrophe, so a name that came
// from a caller or an import cannot run code on the reader's machine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gosline::http {

// A text cell: neutralised against formulas, then quoted as needed.
std::string CsvTextCell(std::string_view text);
// One record: the cells as given (already made with CsvTextCell or numbers
// we formatted), joined by commas, ended by CRLF.
std::string CsvRecord(const std::vector<std::string>& cells);

}  // namespace gosline::http
