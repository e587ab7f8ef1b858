// Export of the registry (R17): every case, streamed from CaseStore::ForEach,
// as CSV (the import columns, so an export re-imports) or JSON Lines (the
// whole case with history and links). CSV puts all notes of a case in one
// cell, separated by a blank line; JSON Lines is the lossless format.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/cases/case.h"
#include "io/case_file_format.h"
#include "storage/case_store.h"

namespace gosline {

// Every field optional; a case must match all that are set.
struct ExportFilter {
  std::optional<CaseStatus> status{};
  std::optional<std::string> topic{};
  std::optional<std::string> region{};
  std::optional<Time> created_from{};  // inclusive
  std::optional<Time> created_to{};    // exclusive
  bool Matches(const Case& c) const;
};

// The CSV cells of a case, in kCaseColumns order.
std::vector<std::string> CaseToCsvFields(const Case& c);

// Writes the matching cases; returns how many.
Result<size_t> ExportCases(CaseStore& store, std::ostream& out, CaseFileFormat format,
                           const ExportFilter& filter = {});

}  // namespace gosline
