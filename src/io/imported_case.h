// Turns a CaseRow from an import file into the Case it describes, checking
// it by the same rules as a case opened through the API (CaseWorkflow::Open)
// plus what only history can carry: a given number, status, times, notes,
// history and links. Pure: the import time is passed in.
#pragma once

#include <string>
#include <vector>

#include "core/calendar/business_calendar.h"
#include "core/cases/case.h"
#include "core/cases/case_workflow.h"
#include "core/common/status.h"
#include "io/case_row.h"

namespace gosline {

class ImportedCaseBuilder {
 public:
  // source_name names the file in each case's "imported" history entry.
  ImportedCaseBuilder(const CaseVocabulary& vocabulary, Actor actor, Time import_time,
                      std::string source_name);

  // The case, with history [created at created_at, notes..., imported at the
  // import time] (or the row's own history followed by "imported"); or, when
  // the row cannot be imported, every reason found, joined with "; ".
  Result<Case> Build(const CaseRow& row) const;

 private:
  void CheckHistory(const CaseRow& row, Case& c, std::vector<std::string>& problems) const;
  void CheckLinks(const CaseRow& row, Case& c, std::vector<std::string>& problems) const;

  BusinessCalendar unused_calendar_;  // CaseWorkflow wants one; Open never escalates
  CaseWorkflow workflow_;
  Actor actor_;
  Time import_time_;
  std::string source_name_;
};

}  // namespace gosline
