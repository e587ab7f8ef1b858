// The IVR engine (IvrSession) as a call's flow, and the prompt list the IVR
// model needs prepared at start-up.
#pragma once

#include <memory>
#include <vector>

#include "core/ivr/ivr_model.h"
#include "core/ivr/ivr_session.h"
#include "telephony/call_flow.h"
#include "telephony/telephony_config.h"

namespace gosline::telephony {

class IvrCallFlow : public CallFlow {
 public:
  explicit IvrCallFlow(std::shared_ptr<const IvrModel> model) : session_(std::move(model)) {}
  std::vector<IvrAction> Start(const CallInfo& call, Time now) override {
    return session_.Start(call, now);
  }
  std::vector<IvrAction> OnEvent(const IvrEvent& event) override {
    return session_.OnEvent(event);
  }
  const IvrTrace* trace() const override { return &session_.trace(); }

 private:
  IvrSession session_;
};

// Every prompt key of the model (PromptCatalogue) as a PromptSpec whose id is
// the key, spoken by the entry's voice.
std::vector<PromptSpec> IvrPromptSpecs(const IvrModel& model);

}  // namespace gosline::telephony
