// One case as an import file gives it, before any validation: every value is
// the file's text. Absent values (an empty CSV cell, a missing or null JSON
// field) are std::nullopt, so the builder can tell "not given" from "wrong".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gosline {

struct CaseRowHistoryEntry {
  std::string at;
  std::string actor;
  std::string action;
  std::string detail;
};

struct CaseRowLink {
  std::string kind;
  std::string ref;
  std::string at;
};

struct CaseRow {
  int line = 0;  // physical line where the row starts in its file
  std::optional<std::string> number, phone, portal_account_id, channel, topic, agency, region,
      priority, status, summary, created_at, updated_at, due_at;
  std::vector<std::string> notes;
  std::optional<std::vector<CaseRowHistoryEntry>> history;  // JSON Lines only
  std::vector<CaseRowLink> links;                           // JSON Lines only
  // Problems found while reading the row (wrong JSON types, unknown fields).
  std::vector<std::string> problems;
  // Nothing could be read (not JSON, not an object); problems say why, and
  // the missing fields are not reported on top.
  bool unreadable = false;

  // The text field named like a column ("phone", "created_at"); nullptr for
  // "notes" and unknown names.
  std::optional<std::string>* TextField(std::string_view name);
};

}  // namespace gosline
