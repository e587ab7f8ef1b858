#include "telephony/ivr_call_flow.h"

#include "core/ivr/ivr_prompts.h"

namespace gosline::telephony {

std::vector<PromptSpec> IvrPromptSpecs(const IvrModel& model) {
  std::vector<PromptSpec> specs;
  for (IvrPromptEntry& e : PromptCatalogue(model)) {
    specs.push_back(PromptSpec{std::move(e.key), std::move(e.language), std::move(e.text),
                               std::move(e.wav_path)});
  }
  return specs;
}

}  // namespace gosline::telephony
