#include "io/case_file_format.h"

#include <algorithm>
#include <cctype>

namespace gosline {
namespace {

bool EndsWithIgnoringCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), s.end() - static_cast<long>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

}  // namespace

std::string_view ToString(CaseFileFormat f) { return f == CaseFileFormat::kCsv ? "csv" : "jsonl"; }

std::optional<CaseFileFormat> ParseCaseFileFormat(std::string_view name) {
  if (name == "csv") return CaseFileFormat::kCsv;
  if (name == "jsonl") return CaseFileFormat::kJsonLines;
  return std::nullopt;
}

std::optional<CaseFileFormat> CaseFileFormatFromPath(std::string_view path) {
  if (EndsWithIgnoringCase(path, ".csv")) return CaseFileFormat::kCsv;
  if (EndsWithIgnoringCase(path, ".jsonl") || EndsWithIgnoringCase(path, ".ndjson")) {
    return CaseFileFormat::kJsonLines;
  }
  return std::nullopt;
}

}  // namespace gosline
