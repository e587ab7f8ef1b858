#include "telephony/ivr_call_flow.h"

#include "core/ivr/ivr_prompts.h"

namespace gosline::telephony {

std::vector<PromptSpec> IvrPromptSpecs(const IvrModel& model) {
  std::vector<PromptSpec> specs;
  for (IvrPromptEntry& e : PromptCatalogue(model)) {
    // The voice, not the prompt's language: "For English, press 9" inside the
    // Russian greeting is spoken by the English voice.
    std::string voice = e.voice.empty() ? e.language : std::move(e.voice);
    specs.push_back(PromptSpec{std::move(e.key), std::move(voice), std::move(e.text),
                               std::move(e.wav_path)});
  }
  return specs;
}

}  // namespace gosline::telephony
