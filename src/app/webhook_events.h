// The events apps hear about (R27), written to the webhooks' outbox
// (storage/webhook_store.h) for every subscription that wants them:
//   case.created           a case was opened (any channel)
//   case.status_changed    a case moved to another status
//   callback.scheduled     a callback was requested (IVR or app)
//   call.ended             a call got its outcome (answered, abandoned, ...)
// Each subscription gets its own payload, cut to its scope: phone numbers
// only when the subscription says so. The body follows the Standard
// Webhooks shape: {"type", "timestamp", "data"}.
//
// The outbox row is written right after the change commits, not in the same
// transaction: the case stores own their transactions (and their engine), so
// a crash in the instant between the two loses that event. Once in the
// outbox, an event is delivered at least once, across restarts.
//
// Thread-safety: any thread (the store serialises); `wake` is called after
// each write so the delivery worker looks at the outbox at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/case.h"
#include "core/common/clock.h"
#include "storage/call_outcome_store.h"
#include "storage/webhook_store.h"

namespace gosline {

inline constexpr const char* kEventCaseCreated = "case.created";
inline constexpr const char* kEventCaseStatusChanged = "case.status_changed";
inline constexpr const char* kEventCallbackScheduled = "callback.scheduled";
inline constexpr const char* kEventCallEnded = "call.ended";
const std::vector<std::string>& WebhookEventNames();

class WebhookEvents {
 public:
  WebhookEvents(WebhookStore& store, const Clock& clock, std::function<void()> wake);

  // From CaseService's change observer.
  void OnCaseChanged(std::optional<CaseStatus> status_before, const Case& after);
  // From the contact centre's outcome of a call.
  void OnCallEnded(const CallOutcome& outcome);

 private:
  void Publish(const std::string& event, const std::function<std::string(bool include_phone)>& data);

  WebhookStore& store_;
  const Clock& clock_;
  std::function<void()> wake_;
};

}  // namespace gosline
