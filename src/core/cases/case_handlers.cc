#include "core/cases/case_handlers.h"

#include <algorithm>

namespace gosline {

bool IsHandlingAction(std::string_view action) {
  return std::find(kHandlingActions.begin(), kHandlingActions.end(), action) !=
         kHandlingActions.end();
}

bool IsHandledBy(const Case& c, std::string_view principal) {
  return std::any_of(c.history.begin(), c.history.end(), [&](const HistoryEntry& e) {
    return e.actor == principal && IsHandlingAction(e.action);
  });
}

}  // namespace gosline
