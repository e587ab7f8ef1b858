#include "app/call_ended_events.h"

namespace gosline {

CallEndedEvents::CallEndedEvents(std::unique_ptr<CallOutcomeStore> inner, WebhookEvents& events)
    : inner_(std::move(inner)), events_(events) {}

void CallEndedEvents::TellOnce(const CallOutcome& o) {
  {
    MutexLock lock(mu_);
    if (told_.Find(o.call_id) != nullptr) return;
    told_.FindOrInsert(o.call_id, [] { return true; });
  }
  events_.OnCallEnded(o);
}

Result<bool> CallEndedEvents::Apply(const CallOutcome& o) {
  Result<bool> applied = inner_->Apply(o);
  if (applied.ok() && *applied) TellOnce(o);
  return applied;
}

Status CallEndedEvents::InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) {
  Status st = inner_->InsertPlaceholder(o, info);
  if (st.ok()) TellOnce(o);
  return st;
}

Result<std::optional<CallOutcome>> CallEndedEvents::Find(const std::string& call_id) {
  return inner_->Find(call_id);
}

Result<std::vector<CallOutcome>> CallEndedEvents::FindByCase(const std::string& case_number) {
  return inner_->FindByCase(case_number);
}

}  // namespace gosline
