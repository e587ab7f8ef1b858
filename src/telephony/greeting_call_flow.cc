#include "telephony/call_flow.h"

namespace gosline::telephony {

std::vector<IvrAction> GreetingCallFlow::Start(const CallInfo&, Time) {
  return {PlayAction{next_playback_++, {prompt_key_}, false}};
}

std::vector<IvrAction> GreetingCallFlow::OnEvent(const IvrEvent& event) {
  if (std::holds_alternative<PromptFinishedEvent>(event.what)) {
    return {PlayAction{next_playback_++, {prompt_key_}, false}};
  }
  return {};
}

}  // namespace gosline::telephony
