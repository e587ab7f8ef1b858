// A registry search: every field optional, results newest first, paginated
// with an opaque cursor so pages stay stable while cases are being added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/case.h"

namespace gosline {

// Narrows a search to the cases one operator may see (R20): those they handle
// (case_handlers.h) and those whose topic one of their queues serves. The
// store applies it in the query itself, so a page, its size and its cursor
// only ever cover cases the operator may see.
struct CaseScope {
  std::string handler;              // the operator's principal, "user:ivanova"
  std::vector<std::string> topics;  // may be empty: only the cases they handle
};

struct CaseQuery {
  std::optional<std::string> phone;   // E.164; when set, open cases come first
  std::optional<CaseStatus> status;
  std::optional<std::string> topic;
  std::optional<std::string> region;
  std::optional<std::string> agency;
  std::optional<Time> created_from;   // inclusive
  std::optional<Time> created_to;     // exclusive
  int limit = 50;                     // 1..500
  std::string cursor;                 // from CasePage::next_cursor; "" = first page
  std::optional<CaseScope> scope;     // unset: every case (roles that see all)
};

struct CasePage {
  std::vector<Case> cases;            // without history/links (summary view)
  std::string next_cursor;            // "" when this is the last page
};

inline constexpr int kMaxPageSize = 500;

}  // namespace gosline
