#include "io/case_import.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "io/case_json.h"
#include "io/case_row.h"
#include "io/csv.h"
#include "io/imported_case.h"
#include "io/quote.h"

namespace gosline {
namespace {

// One import: collects the cases of good rows and the problems of bad ones.
class ImportRun {
 public:
  explicit ImportRun(const ImportContext& ctx)
      : ctx_(ctx), builder_(ctx.vocabulary, ctx.actor, ctx.now, ctx.source_name) {}

  // Counts a data row; false when the file has too many to read on.
  bool StartRow() {
    if (++report_.rows <= ctx_.max_rows) return true;
    --report_.rows;
    AddProblem(0, "the file has more than " + std::to_string(ctx_.max_rows) +
                      " rows; split it into smaller files");
    return false;
  }

  // Checks a row against the rules and the other rows; false when reading
  // must stop (the store cannot be asked about numbers).
  bool AddRow(const CaseRow& row) {
    Result<Case> c = builder_.Build(row);
    if (!c.ok()) {
      AddProblem(row.line, c.status().message());
      return true;
    }
    if (!c->number.empty()) {
      const auto [it, inserted] = number_lines_.emplace(c->number, row.line);
      if (!inserted) {
        AddProblem(row.line,
                   "number " + c->number + " is also on line " + std::to_string(it->second));
        return true;
      }
      // Caught here, with its line, rather than as a failed batch later.
      Result<Case> existing = ctx_.store.GetByNumber(c->number);
      if (existing.ok()) {
        AddProblem(row.line, "number " + c->number + " is already in the registry");
        return true;
      }
      if (existing.status().code() != Status::Code::kNotFound) {
        AddProblem(0, "cannot check numbers against the registry: " + existing.status().ToString());
        return false;
      }
    }
    if (report_.problems.empty() && !ctx_.dry_run) cases_.push_back(std::move(c).value());
    return true;
  }

  void AddProblem(int line, std::string reason) {
    // One problem, one line of the report.
    std::replace_if(
        reason.begin(), reason.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; },
        ' ');
    report_.problems.push_back(ImportProblem{line, std::move(reason)});
    // Nothing will be written now; stop holding cases.
    std::vector<Case>().swap(cases_);
  }

  ImportReport Finish(const std::istream& in) {
    if (in.bad()) AddProblem(0, "read error");
    if (!report_.ok() || ctx_.dry_run || cases_.empty()) return std::move(report_);
    // Cases with their own numbers go first: the registry numbers the others
    // after every id it holds, so a number it makes up cannot meet one that a
    // later row of this file brings.
    std::stable_partition(cases_.begin(), cases_.end(),
                          [](const Case& c) { return !c.number.empty(); });
    Status st = ctx_.store.CreateBatch(cases_);
    if (st.ok()) {
      report_.imported = cases_.size();
    } else {
      AddProblem(0, "the registry refused the batch, nothing was imported: " + st.ToString());
    }
    return std::move(report_);
  }

 private:
  const ImportContext& ctx_;
  ImportedCaseBuilder builder_;
  std::vector<Case> cases_;
  std::unordered_map<std::string, int> number_lines_;  // number -> first line with it
  ImportReport report_;
};

// Some spreadsheets end lines inside a cell with CRLF; stored text uses LF.
void CrlfToLf(std::string& text) {
  size_t out = 0;
  for (size_t in = 0; in < text.size(); ++in) {
    if (text[in] == '\r' && in + 1 < text.size() && text[in + 1] == '\n') continue;
    text[out++] = text[in];
  }
  text.resize(out);
}

// The header's columns, or false after reporting what is wrong with it.
bool ReadHeader(const csv::Record& header, ImportRun& run) {
  bool ok = true;
  auto fail = [&](std::string reason) {
    run.AddProblem(header.line, std::move(reason));
    ok = false;
  };
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (std::find(kCaseColumns.begin(), kCaseColumns.end(), name) == kCaseColumns.end()) {
      std::string known;
      for (std::string_view c : kCaseColumns) known += (known.empty() ? "" : ", ") + std::string(c);
      fail("unknown column " + QuoteForReport(name) + " (known: " + known + ")");
    } else if (std::find(header.fields.begin(), header.fields.begin() + static_cast<long>(i),
                         name) != header.fields.begin() + static_cast<long>(i)) {
      fail("column " + QuoteForReport(name) + " appears twice");
    }
  }
  for (std::string_view required : kRequiredCaseColumns) {
    if (std::find(header.fields.begin(), header.fields.end(), required) == header.fields.end()) {
      fail("required column '" + std::string(required) + "' is missing");
    }
  }
  return ok;
}

void ReadCsv(std::istream& in, const ImportContext& ctx, ImportRun& run) {
  csv::Reader reader(in, ctx.max_record_bytes);
  auto first = reader.Next();
  if (!first.ok()) {
    run.AddProblem(reader.error_line(), "header: " + first.status().message());
    return;
  }
  if (!first->has_value()) return;  // an empty file imports nothing
  const csv::Record header = std::move(**first);
  if (!ReadHeader(header, run)) return;

  for (;;) {
    auto next = reader.Next();
    if (next.ok() && !next->has_value()) return;
    if (!run.StartRow()) return;
    if (!next.ok()) {
      run.AddProblem(reader.error_line(), next.status().message());
      continue;
    }
    csv::Record& rec = **next;
    if (rec.fields.size() != header.fields.size()) {
      run.AddProblem(rec.line, std::to_string(rec.fields.size()) + " fields, but the header has " +
                                   std::to_string(header.fields.size()));
      continue;
    }
    CaseRow row;
    row.line = rec.line;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (rec.fields[i].empty()) continue;  // not given
      CrlfToLf(rec.fields[i]);
      if (header.fields[i] == "notes") {
        row.notes.push_back(std::move(rec.fields[i]));
      } else {
        *row.TextField(header.fields[i]) = std::move(rec.fields[i]);
      }
    }
    if (!run.AddRow(row)) return;
  }
}

enum class LineRead { kLine, kTooLong, kEnd };

// One line without its '\n'; a longer line than max_bytes is skipped whole.
LineRead ReadLine(std::streambuf* buf, std::string& line, size_t max_bytes) {
  constexpr int kEof = std::char_traits<char>::eof();
  line.clear();
  bool any = false;
  bool too_long = false;
  for (int c = buf ? buf->sbumpc() : kEof; c != kEof; c = buf->sbumpc()) {
    any = true;
    if (c == '\n') break;
    if (line.size() >= max_bytes) {
      too_long = true;
    } else {
      line += static_cast<char>(c);
    }
  }
  if (!any) return LineRead::kEnd;
  return too_long ? LineRead::kTooLong : LineRead::kLine;
}

void ReadJsonLines(std::istream& in, const ImportContext& ctx, ImportRun& run) {
  std::string line;
  for (int line_no = 1;; ++line_no) {
    const LineRead r = ReadLine(in.rdbuf(), line, ctx.max_record_bytes);
    if (r == LineRead::kEnd) return;
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos && r == LineRead::kLine) continue;
    if (!run.StartRow()) return;
    if (r == LineRead::kTooLong) {
      run.AddProblem(line_no,
                     "line longer than " + std::to_string(ctx.max_record_bytes) + " bytes");
      continue;
    }
    if (!run.AddRow(CaseRowFromJsonLine(line, line_no))) return;
  }
}

}  // namespace

ImportReport ImportCases(std::istream& in, CaseFileFormat format, const ImportContext& ctx) {
  ImportRun run(ctx);
  if (format == CaseFileFormat::kCsv) {
    ReadCsv(in, ctx, run);
  } else {
    ReadJsonLines(in, ctx, run);
  }
  return run.Finish(in);
}

}  // namespace gosline
