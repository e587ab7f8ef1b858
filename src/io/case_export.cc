#include "io/case_export.h"

#include "io/case_json.h"
#include "io/csv.h"

namespace gosline {

bool ExportFilter::Matches(const Case& c) const {
  return (!status || c.status == *status) && (!topic || c.topic == *topic) &&
         (!region || c.region == *region) && (!created_from || c.created_at >= *created_from) &&
         (!created_to || c.created_at < *created_to);
}

std::vector<std::string> CaseToCsvFields(const Case& c) {
  std::string notes;
  for (const HistoryEntry& h : c.history) {
    if (h.action != "note") continue;
    if (!notes.empty()) notes += "\n\n";
    notes += h.detail;
  }
  return {
      c.number,
      c.phone,
      c.portal_account_id.value_or(""),
      std::string(ToString(c.channel)),
      c.topic,
      c.agency,
      c.region,
      std::string(ToString(c.priority)),
      std::string(ToString(c.status)),
      c.summary,
      FormatIso8601(c.created_at),
      FormatIso8601(c.updated_at),
      c.due_at ? FormatIso8601(*c.due_at) : "",
      std::move(notes),
  };
}

Result<size_t> ExportCases(CaseStore& store, std::ostream& out, CaseFileFormat format,
                           const ExportFilter& filter) {
  if (format == CaseFileFormat::kCsv) {
    csv::WriteRecord(out, std::vector<std::string>(kCaseColumns.begin(), kCaseColumns.end()));
  }
  size_t count = 0;
  Status st = store.ForEach([&](const Case& c) {
    if (!filter.Matches(c)) return true;
    if (format == CaseFileFormat::kCsv) {
      csv::WriteRecord(out, CaseToCsvFields(c));
    } else {
      // Stored text is valid UTF-8 (the workflow checks it); replace, never
      // throw, should an older row not be.
      out << CaseToJson(c).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
          << '\n';
    }
    ++count;
    return static_cast<bool>(out);  // a full disk stops the walk
  });
  if (!st.ok()) return st;
  out.flush();
  if (!out) return Status::IoError("cannot write the export");
  return count;
}

}  // namespace gosline
