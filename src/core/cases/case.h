// The case: one citizen request in the single registry (R14-R17).
// Plain data; the rules that change it live in case_workflow.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time.h"

namespace gosline {

enum class Channel { kCall, kChat, kApp, kCallback };
enum class CaseStatus { kNew, kInProgress, kEscalated, kWaitingCitizen, kResolved, kClosed };
enum class Priority { kLow, kNormal, kHigh, kUrgent };

// Stable wire names ("call", "in_progress", "high"), used by the API, the
// database and import/export files alike.
std::string_view ToString(Channel c);
std::string_view ToString(CaseStatus s);
std::string_view ToString(Priority p);
std::optional<Channel> ParseChannel(std::string_view s);
std::optional<CaseStatus> ParseCaseStatus(std::string_view s);
std::optional<Priority> ParsePriority(std::string_view s);

// Who did something: a staff login, an integration, or the system itself.
struct Actor {
  std::string id;  // "system", "import", an operator login, an API key id
};

// One line of the append-only history: who, when, what.
struct HistoryEntry {
  int64_t seq = 0;        // 1-based position within the case; assigned by the store
  Time at{};
  std::string actor;
  std::string action;     // created, updated, transition, note, escalated, linked, imported
  std::string detail;     // human-readable: "new -> in_progress: called back", the note text
};

// A link from the case to something recorded elsewhere: a call, a recording, a chat.
struct CaseLink {
  std::string kind;  // call, recording, chat, case (a related case of the same citizen)
  std::string ref;   // the call id, the recording path/id
  Time at{};
};

struct Case {
  int64_t id = 0;                          // storage key; 0 until stored
  std::string number;                      // dictatable: digits + check digit (case_number.h)
  std::string phone;                       // citizen phone, E.164 ("+79161234567")
  std::optional<std::string> portal_account_id;
  Channel channel = Channel::kCall;
  std::string topic;                       // topic id from the configuration
  std::string agency;                      // agency id from the configuration ("" = not yet known)
  std::string region;                      // federal subject code ("77"), "" = unknown
  Priority priority = Priority::kNormal;
  CaseStatus status = CaseStatus::kNew;
  std::string summary;                     // short free text: what the citizen asked
  Time created_at{};
  Time updated_at{};
  std::optional<Time> due_at;              // set on escalation: reply due (R16)
  int64_t version = 0;                     // bumps on every change; optimistic concurrency
  std::vector<HistoryEntry> history;
  std::vector<CaseLink> links;
};

// Whether a case still needs work (used for "open cases first" and routing priority).
inline bool IsOpen(CaseStatus s) { return s != CaseStatus::kResolved && s != CaseStatus::kClosed; }

}  // namespace gosline
