#include "core/numbering/numbering_csv.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace gosline::numbering {
namespace {

enum Column { kCode, kFrom, kTo, kCapacity, kOperator, kRegion, kColumnCount };

// Header names as the register and spreadsheet copies write them, as HeaderKey
// gives them. "АВС" in the register is spelt with Cyrillic letters.
const std::array<std::vector<std::string_view>, kColumnCount> kHeaderNames = {{
    {"АВС/def", "abc/def", "АВС/ДЕФ", "code"},
    {"От", "от", "from"},
    {"До", "до", "to"},
    {"Емкость", "Ёмкость", "емкость", "capacity"},
    {"Оператор", "оператор", "operator"},
    {"Регион", "регион", "region"},
}};
const char* const kColumnLabels[kColumnCount] = {"АВС/DEF", "От", "До", "Емкость", "Оператор",
                                                 "Регион"};
constexpr size_t kErrorsShown = 10;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Header names compare without spaces and with Latin letters in lower case.
std::string HeaderKey(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

// Splits one line at `separator`; "quoted" fields may hold the separator and
// "" for a quote (ПАО "МегаФон" is written "ПАО ""МегаФон""" in such copies).
// Returns nullopt for a quote left open.
std::optional<std::vector<std::string>> SplitFields(std::string_view line, char separator) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && Trim(fields.back()).empty()) {
      fields.back().clear();
      quoted = true;
    } else if (c == separator) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  for (std::string& f : fields) f = std::string(Trim(f));
  return fields;
}

// Up to `max_digits` decimal digits, nothing else.
std::optional<uint64_t> ParseDigits(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

std::string Quote(std::string_view s) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "\"" + string.
  std::string out = "\"";
  out += s.size() > 40 ? s.substr(0, 37) : s;
  if (s.size() > 40) out += "...";
  out += '"';
  return out;
}

class Parser {
 public:
  Result<std::vector<NumberingRange>> Parse(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
    int line_no = 0;
    bool have_header = false;
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (Trim(line).empty()) continue;
      if (!have_header) {
        have_header = true;
        separator_ = line.find(';') != std::string_view::npos ? ';' : ',';
        if (ReadHeader(line, line_no)) {
          header_ = line;
          continue;
        }  // else: a file without a header
      }
      if (!header_.empty() && line == header_) continue;  // files concatenated into one
      Row(line, line_no);
    }
    if (!have_header) Error(0, "the file is empty");
    if (errors_.empty()) return std::move(ranges_);
    std::string message = std::to_string(error_count_) + " wrong row" +
                          (error_count_ == 1 ? "" : "s") + " in the numbering CSV: ";
    for (size_t i = 0; i < errors_.size(); ++i) message += (i ? "; " : "") + errors_[i];
    if (error_count_ > errors_.size()) {
      message += "; and " + std::to_string(error_count_ - errors_.size()) + " more";
    }
    return Status::InvalidArgument(message);
  }

 private:
  // True when `line` is a header (columns located); false when it looks like
  // data (the standard order is assumed); a header missing columns is an error.
  bool ReadHeader(std::string_view line, int line_no) {
    std::optional<std::vector<std::string>> fields = SplitFields(line, separator_);
    if (!fields || ParseDigits((*fields)[0], 3)) return false;
    std::array<std::optional<size_t>, kColumnCount> found{};
    std::string missing;
    for (int c = 0; c < kColumnCount; ++c) {
      for (size_t i = 0; i < fields->size() && !found[c]; ++i) {
        const std::string name = HeaderKey((*fields)[i]);
        for (std::string_view known : kHeaderNames[c]) {
          if (name == known) found[c] = i;
        }
      }
      if (!found[c]) missing += (missing.empty() ? "" : ", ") + std::string(kColumnLabels[c]);
    }
    if (!missing.empty()) {
      // Rows are still read in the standard order, to report their mistakes too.
      Error(line_no, "header lacks the column(s) " + missing +
                         "; expected АВС/ DEF;От;До;Емкость;Оператор;Регион");
      return true;
    }
    for (int c = 0; c < kColumnCount; ++c) column_[c] = *found[c];
    return true;
  }

  void Row(std::string_view line, int line_no) {
    std::optional<std::vector<std::string>> fields = SplitFields(line, separator_);
    if (!fields) return Error(line_no, "a quoted field is not closed");
    size_t needed = 0;
    for (size_t c : column_) needed = std::max(needed, c + 1);
    if (fields->size() < needed) {
      return Error(line_no, "expected at least " + std::to_string(needed) + " fields separated by '" +
                                separator_ + "', got " + std::to_string(fields->size()));
    }
    auto field = [&](Column c) -> const std::string& { return (*fields)[column_[c]]; };
    NumberingRange r;
    r.line = line_no;
    const std::optional<uint64_t> code = ParseDigits(field(kCode), 3);
    const std::optional<uint64_t> from = ParseDigits(field(kFrom), 7);
    const std::optional<uint64_t> to = ParseDigits(field(kTo), 7);
    const std::optional<uint64_t> capacity = ParseDigits(field(kCapacity), 8);
    if (!code || *code < 100) {
      return Error(line_no, "АВС/DEF " + Quote(field(kCode)) + " is not a three-digit code");
    }
    if (!from) return Error(line_no, "От " + Quote(field(kFrom)) + " is not a number of up to 7 digits");
    if (!to) return Error(line_no, "До " + Quote(field(kTo)) + " is not a number of up to 7 digits");
    if (*from > *to) {
      return Error(line_no, "От " + field(kFrom) + " is after До " + field(kTo));
    }
    // A capacity that disagrees with От..До means the columns are shifted or
    // the row is damaged: better refused than routed on.
    if (!capacity || *capacity != *to - *from + 1) {
      return Error(line_no, "Емкость " + Quote(field(kCapacity)) + " is not the size of " +
                                field(kFrom) + ".." + field(kTo) + " (" +
                                std::to_string(*to - *from + 1) + ")");
    }
    if (field(kOperator).empty()) return Error(line_no, "Оператор is empty");
    if (field(kRegion).empty()) return Error(line_no, "Регион is empty");
    r.code = int(*code);
    r.from = uint32_t(*from);
    r.to = uint32_t(*to);
    r.operator_name = field(kOperator);
    r.region_name = field(kRegion);
    ranges_.push_back(std::move(r));
  }

  void Error(int line_no, std::string message) {
    ++error_count_;
    if (errors_.size() < kErrorsShown) {
      errors_.push_back(line_no > 0 ? "line " + std::to_string(line_no) + ": " + message : message);
    }
  }

  char separator_ = ';';
  std::string_view header_;
  std::array<size_t, kColumnCount> column_ = {0, 1, 2, 3, 4, 5};  // the register's order
  std::vector<NumberingRange> ranges_;
  std::vector<std::string> errors_;
  size_t error_count_ = 0;
};

}  // namespace

Result<std::vector<NumberingRange>> ParseNumberingCsv(std::string_view text) {
  return Parser().Parse(text);
}

}  // namespace gosline::numbering
