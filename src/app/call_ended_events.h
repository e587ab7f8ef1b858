// The contact centre's call outcomes, passed on to their store and told to
// the webhooks as call.ended (R27), once per call: the centre writes a
// call's outcome again when wrap-up ends or the recording is saved, which
// is the same call ending, not another event. A decorator, so the centre
// knows nothing of webhooks.
//
// Thread-safety: as the wrapped store; mu_ (a leaf) guards the calls told.
#pragma once

#include <memory>
#include <string>

#include "app/webhook_events.h"
#include "core/common/thread_annotations.h"
#include "core/security/bounded_lru.h"
#include "storage/call_outcome_store.h"

namespace gosline {

class CallEndedEvents final : public CallOutcomeStore {
 public:
  CallEndedEvents(std::unique_ptr<CallOutcomeStore> inner, WebhookEvents& events);

  Result<bool> Apply(const CallOutcome& o) override;
  Status InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) override;
  Result<std::optional<CallOutcome>> Find(const std::string& call_id) override;
  Result<std::vector<CallOutcome>> FindByCase(const std::string& case_number) override;

 private:
  void TellOnce(const CallOutcome& o);

  std::unique_ptr<CallOutcomeStore> inner_;
  WebhookEvents& events_;
  Mutex mu_;
  security::BoundedLru<bool> told_ GOSLINE_GUARDED_BY(mu_){10000};
};

}  // namespace gosline
