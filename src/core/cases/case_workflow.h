// The rules of a case's life, as pure functions: what a new case looks like,
// which status transitions are allowed, what an escalation sets, what every
// change writes into the history. The caller (app/case_service) loads and
// stores; nothing here does I/O or reads a clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar/business_calendar.h"
#include "core/cases/case.h"
#include "core/common/status.h"

namespace gosline {

// What a caller supplies to open a case. Strings are validated and normalised
// by CaseWorkflow::Open (phone to E.164, topic against the configuration).
struct CaseDraft {
  std::string phone;
  std::optional<std::string> portal_account_id;
  Channel channel = Channel::kCall;
  std::string topic;
  std::string agency;
  std::string region;
  Priority priority = Priority::kNormal;
  std::string summary;
};

// Field changes of an update; an absent field is left alone.
struct CasePatch {
  std::optional<std::string> topic;
  std::optional<std::string> agency;
  std::optional<std::string> region;
  std::optional<Priority> priority;
  std::optional<std::string> summary;
  std::optional<std::string> portal_account_id;
};

// What the configuration allows, as the workflow needs it.
class CaseVocabulary {
 public:
  virtual ~CaseVocabulary() = default;
  virtual bool HasTopic(const std::string& id) const = 0;
  virtual bool HasAgency(const std::string& id) const = 0;
  virtual bool HasRegion(const std::string& code) const = 0;
  // The agency a topic belongs to by default ("" if none).
  virtual std::string DefaultAgency(const std::string& topic) const = 0;
};

// Limits on free text, so a single case cannot grow without bound.
inline constexpr size_t kMaxSummaryBytes = 2000;
inline constexpr size_t kMaxNoteBytes = 8000;
inline constexpr size_t kMaxReasonBytes = 1000;

class CaseWorkflow {
 public:
  CaseWorkflow(const CaseVocabulary& vocabulary, const BusinessCalendar& escalation_calendar,
               int escalation_business_days = 1);

  // Validates the draft and returns a case in status `new` with its first
  // history entry. id and number are left for the store to assign.
  Result<Case> Open(const CaseDraft& draft, const Actor& actor, Time now) const;

  // Applies a patch; records one history entry naming the changed fields
  // ("topic: registration -> taxes"). A patch that changes nothing writes no
  // history. A topic change also moves the agency to the new topic's default
  // unless the patch names an agency or the agency was picked by hand (R15).
  // portal_account_id "" clears it.
  Status Update(Case& c, const CasePatch& patch, const Actor& actor, Time now) const;

  // Moves the case to `to` if allowed (see CanTransition). Escalation sets
  // due_at by the business calendar; leaving `escalated` clears it.
  Status Transition(Case& c, CaseStatus to, const std::string& reason, const Actor& actor,
                    Time now) const;

  // Appends a note to the history.
  Status AddNote(Case& c, const std::string& text, const Actor& actor, Time now) const;

  // The router assigned a call of the case to an operator: from now on they
  // handle it (case_handlers.h, R20). `operator_actor` is their principal
  // ("user:<id>").
  Status RecordAssigned(Case& c, const Actor& operator_actor, const std::string& call_ref,
                        Time now) const;

  // Links a call/recording/chat to the case; linking the same kind+ref again
  // is ok and changes nothing. link.at defaults to now.
  Status Link(Case& c, const CaseLink& link, const Actor& actor, Time now) const;

  // The transition table, exposed for the API documentation and tests.
  static bool CanTransition(CaseStatus from, CaseStatus to);
  static std::vector<CaseStatus> AllowedFrom(CaseStatus from);

 private:
  const CaseVocabulary& vocabulary_;
  const BusinessCalendar& calendar_;
  int escalation_business_days_;
};

}  // namespace gosline
