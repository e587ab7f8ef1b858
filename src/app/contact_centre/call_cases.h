// The case of each call (R14, R9): when a call enters a queue the caller's
// cases are looked up by phone. The policy, chosen so one citizen's repeated
// calls about one matter land in one place:
//   - an open case touched within the last 7 days is REUSED: the call is
//     added to its history and links;
//   - otherwise a new case is opened (topic, region, channel call) and, if the
//     caller had a case within 7 days (resolved or closed since), the two are
//     LINKED by a history note in each naming the other (case links only name
//     calls, recordings and chats);
//   - any open case of the caller, however old, gives the call priority (R9).
// A withheld or invalid number gets a case without a phone only if the
// workflow allows it; otherwise the call goes on without a case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/case_service.h"
#include "core/common/time.h"

namespace gosline::contact_centre {

inline constexpr Duration kRepeatCallWindow = std::chrono::hours(24 * 7);

struct CallCase {
  std::string number;                      // "" when no case could be filed
  bool reused = false;                     // an open case taken over
  bool has_open_case = false;              // R9
  std::vector<std::string> earlier_cases;  // the caller's other cases, newest first
};

struct CallCaseRequest {
  std::string phone;
  std::string topic;
  std::string region;
  std::string call_ref;  // SIP Call-ID or the call number, linked to the case
  Time now{};
};

// Finds or opens the case of a call entering a queue. Never fails the call:
// store errors give an empty number (logged by the caller via `error`).
CallCase FileCallCase(CaseService& cases, const CallCaseRequest& req, std::string* error);

// Opens the callback request (R29): status new, channel callback, with a note
// naming the call's case. Returns the new case number.
Result<std::string> OpenCallbackCase(CaseService& cases, const CallCaseRequest& req,
                                     const std::string& call_case);

// The notes and links written to a case after a call never stop the call; a
// failed one is logged, so the gap in the case file is seen (R13, R14).
void WarnIfFailed(const Result<Case>& written, std::string_view what);
void WarnIfFailed(const Status& written, std::string_view what);

}  // namespace gosline::contact_centre
