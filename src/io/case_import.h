// Import of historical cases (R17) from CSV or JSON Lines, all or nothing per
// file: every row is checked, every rejected row is reported with its line and
// reason, and only a file without a single problem is written, in one
// CaseStore::CreateBatch transaction.
//
// CSV: a header row naming columns from kCaseColumns (case_file_format.h) in
// any order; phone, topic and created_at are required, the rest may be left
// out. An empty cell is "not given". JSON Lines: one object a line with the
// same fields, notes as an array of strings, and optionally the history and
// links that export writes. Defaults: channel call, priority normal, status
// new, agency the topic's, number assigned by the registry.
//
// Each imported case gets the history [created at created_at, the notes,
// imported at the import time naming file and line], or, when the JSON row
// carries its own history, that history followed by "imported".
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "core/cases/case.h"
#include "core/cases/case_workflow.h"
#include "io/case_file_format.h"
#include "storage/case_store.h"

namespace gosline {

struct ImportContext {
  CaseStore& store;
  const CaseVocabulary& vocabulary;
  Time now;                 // the import time, recorded in each case's history
  std::string source_name;  // the file as the user named it, for history and report
  Actor actor{"import"};
  size_t max_rows = 1'000'000;  // a larger file is refused; split it
  size_t max_record_bytes = 4 << 20;
  bool dry_run = false;  // check everything, write nothing
};

struct ImportProblem {
  int line = 0;        // 1-based line where the row starts; 0 = the file as a whole
  std::string reason;  // one line of text
};

struct ImportReport {
  size_t rows = 0;      // data rows read (header and blank lines not counted)
  size_t imported = 0;  // cases written: rows on success, 0 otherwise and on a dry run
  std::vector<ImportProblem> problems;  // in file order; empty = the file was good
  bool ok() const { return problems.empty(); }
};

ImportReport ImportCases(std::istream& in, CaseFileFormat format, const ImportContext& ctx);

}  // namespace gosline
