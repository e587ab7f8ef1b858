#include "io/imported_case.h"

#include <utility>

#include "core/cases/case_number.h"
#include "io/quote.h"

namespace gosline {
namespace {

constexpr size_t kMaxHistoryWordBytes = 64;  // history actor and action
constexpr size_t kMaxProblemsPerList = 5;    // history/link problems reported per row

bool HasControlCharacter(std::string_view text) {
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) return true;
  }
  return false;
}

std::optional<Time> TimeField(const std::optional<std::string>& text, std::string_view name,
                              std::vector<std::string>& problems) {
  if (!text) return std::nullopt;
  std::optional<Time> t = ParseIso8601(*text);
  if (!t) {
    problems.push_back(std::string(name) + " " + QuoteForReport(*text) +
                       " is not an ISO 8601 time such as 2024-03-01T09:30:00+03:00");
  }
  return t;
}

// channel, priority, status: one of a fixed set of names.
template <typename E>
E NameField(const std::optional<std::string>& text, std::string_view name, E fallback,
            std::optional<E> (*parse)(std::string_view), std::string_view allowed,
            std::vector<std::string>& problems) {
  if (!text) return fallback;
  if (std::optional<E> v = parse(*text)) return *v;
  problems.push_back("unknown " + std::string(name) + " " + QuoteForReport(*text) + " (expected " +
                     std::string(allowed) + ")");
  return fallback;
}

std::optional<std::string> NumberField(const std::string& text,
                                       std::vector<std::string>& problems) {
  if (std::optional<std::string> n = CaseNumber::Normalize(text)) return n;
  size_t digits = 0;
  bool only_digits = true;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      ++digits;
    } else if (ch != ' ' && ch != '-' && ch != '.') {
      only_digits = false;
    }
  }
  if (only_digits && digits == CaseNumber::kBodyDigits + 1) {
    problems.push_back("number " + QuoteForReport(text) + " has a wrong check digit");
  } else {
    problems.push_back("number " + QuoteForReport(text) +
                       " must be 10 digits, the last a check digit");
  }
  return std::nullopt;
}

Status Rejected(const std::vector<std::string>& problems) {
  std::string msg;
  for (const auto& p : problems) {
    if (!msg.empty()) msg += "; ";
    msg += p;
  }
  return Status::InvalidArgument(std::move(msg));
}

}  // namespace

ImportedCaseBuilder::ImportedCaseBuilder(const CaseVocabulary& vocabulary, Actor actor,
                                         Time import_time, std::string source_name)
    : workflow_(vocabulary, unused_calendar_),
      actor_(std::move(actor)),
      import_time_(import_time),
      source_name_(std::move(source_name)) {}

Result<Case> ImportedCaseBuilder::Build(const CaseRow& row) const {
  std::vector<std::string> problems = row.problems;
  if (row.unreadable) return Rejected(problems);

  std::optional<std::string> number;
  if (row.number) number = NumberField(*row.number, problems);
  const Channel channel = NameField(row.channel, "channel", Channel::kCall, &ParseChannel,
                                    "call, chat, app, callback", problems);
  const Priority priority = NameField(row.priority, "priority", Priority::kNormal, &ParsePriority,
                                      "low, normal, high, urgent", problems);
  const CaseStatus status =
      NameField(row.status, "status", CaseStatus::kNew, &ParseCaseStatus,
                "new, in_progress, escalated, waiting_citizen, resolved, closed", problems);

  if (!row.created_at) problems.push_back("created_at is required");
  const std::optional<Time> created = TimeField(row.created_at, "created_at", problems);
  const std::optional<Time> updated = TimeField(row.updated_at, "updated_at", problems);
  const std::optional<Time> due = TimeField(row.due_at, "due_at", problems);
  if (created && *created > import_time_) problems.push_back("created_at is after the import time");
  if (updated && created && *updated < *created) {
    problems.push_back("updated_at is before created_at");
  }
  if (updated && *updated > import_time_) problems.push_back("updated_at is after the import time");
  if (due && created && *due < *created) problems.push_back("due_at is before created_at");
  // The workflow keeps a due time only while a case is escalated (R16).
  if (due && status != CaseStatus::kEscalated) {
    problems.push_back("due_at is given but status is " + std::string(ToString(status)) +
                       " (a due time is kept only while a case is escalated)");
  }

  // Phone, topic, agency, region, summary and portal account: the API's rules.
  const CaseDraft draft{
      .phone = row.phone.value_or(""),
      .portal_account_id = row.portal_account_id,
      .channel = channel,
      .topic = row.topic.value_or(""),
      .agency = row.agency.value_or(""),
      .region = row.region.value_or(""),
      .priority = priority,
      .summary = row.summary.value_or(""),
  };
  Result<Case> opened = workflow_.Open(draft, actor_, created.value_or(Time{}));
  if (!opened.ok()) problems.push_back(opened.status().message());
  Case c = opened.ok() ? std::move(opened).value() : Case{};
  const Time last_change = updated.value_or(c.created_at);

  if (row.history) {
    if (!row.notes.empty()) problems.push_back("give notes or history, not both");
    CheckHistory(row, c, problems);
  } else {
    for (const std::string& note : row.notes) {
      Status st = workflow_.AddNote(c, note, actor_, last_change);
      if (!st.ok()) problems.push_back("notes: " + st.message());
    }
  }
  CheckLinks(row, c, problems);
  if (!problems.empty()) return Rejected(problems);

  c.number = number.value_or("");
  c.status = status;
  c.due_at = due;
  c.updated_at = last_change;
  c.history.push_back(HistoryEntry{
      .seq = static_cast<int64_t>(c.history.size()) + 1,
      .at = import_time_,
      .actor = actor_.id,
      .action = "imported",
      .detail = "from " + source_name_ + " line " + std::to_string(row.line),
  });
  return c;
}

void ImportedCaseBuilder::CheckHistory(const CaseRow& row, Case& c,
                                       std::vector<std::string>& problems) const {
  const size_t problems_before = problems.size();
  if (row.history->empty()) problems.push_back("history is empty");
  c.history.clear();
  std::optional<Time> previous;
  for (size_t i = 0; i < row.history->size(); ++i) {
    if (problems.size() - problems_before >= kMaxProblemsPerList) {
      problems.push_back("more problems in history not shown");
      return;
    }
    const CaseRowHistoryEntry& e = (*row.history)[i];
    const std::string where = "history[" + std::to_string(i) + "]";
    const std::optional<Time> at = TimeField(e.at, where + ".at", problems);
    if (at) {
      if (previous && *at < *previous)
        problems.push_back(where + " is older than the entry before it");
      if (*at > import_time_) problems.push_back(where + " is after the import time");
      previous = at;
    }
    for (const auto& [name, value] :
         {std::pair{".actor", &e.actor}, std::pair{".action", &e.action}}) {
      if (value->empty() || value->size() > kMaxHistoryWordBytes || HasControlCharacter(*value)) {
        problems.push_back(where + name + " must be 1-64 bytes without control characters");
      }
    }
    if (!e.detail.empty()) {
      // A detail obeys the rules of a note, the longest text history holds.
      Case scratch;
      Status st = workflow_.AddNote(scratch, e.detail, actor_, import_time_);
      if (!st.ok()) problems.push_back(where + ".detail: " + st.message());
    }
    c.history.push_back(HistoryEntry{static_cast<int64_t>(i) + 1, at.value_or(Time{}), e.actor,
                                     e.action, e.detail});
  }
}

void ImportedCaseBuilder::CheckLinks(const CaseRow& row, Case& c,
                                     std::vector<std::string>& problems) const {
  const size_t problems_before = problems.size();
  for (size_t i = 0; i < row.links.size(); ++i) {
    if (problems.size() - problems_before >= kMaxProblemsPerList) {
      problems.push_back("more problems in links not shown");
      return;
    }
    const CaseRowLink& l = row.links[i];
    const std::string where = "links[" + std::to_string(i) + "]";
    const std::optional<Time> at = TimeField(l.at, where + ".at", problems);
    const CaseLink link{l.kind, l.ref, at.value_or(import_time_)};
    for (const CaseLink& earlier : c.links) {
      if (earlier.kind == link.kind && earlier.ref == link.ref) {
        problems.push_back(where + " repeats an earlier link");
      }
    }
    // The API's rules for kind and ref, checked on a scratch case so that the
    // workflow's "linked" history entry is not added to the imported history.
    Case scratch;
    Status st = workflow_.Link(scratch, link, actor_, import_time_);
    if (!st.ok()) problems.push_back(where + ": " + st.message());
    c.links.push_back(link);
  }
}

}  // namespace gosline
