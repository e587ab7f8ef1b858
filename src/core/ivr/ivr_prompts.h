// Prompt keys and the catalogue of every audio the IVR can ask for. The
// adapter prepares the whole catalogue at start-up (espeak-ng or WAV), so a
// call never waits for synthesis; dynamic content (digits, status words) is
// made of catalogue entries too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cases/case.h"
#include "core/ivr/ivr_model.h"

namespace gosline {

struct IvrPromptEntry {
  std::string key;       // "ru/main_menu"
  std::string language;  // "ru"
  std::string text;      // to synthesise ("" when wav_path is set)
  std::string wav_path;  // recorded audio ("" when text is used)
  std::string voice;     // espeak-ng language to speak `text` with: usually == language
};

// "<language>/<prompt id>".
std::string PromptKey(std::string_view language, std::string_view prompt_id);
// "digit/7", "digit/star", "digit/hash".
std::string DigitPromptId(char digit);
// "case_status/in_progress".
std::string CaseStatusPromptId(CaseStatus status);

// Every (language, prompt) pair of the model, sorted by key.
std::vector<IvrPromptEntry> PromptCatalogue(const IvrModel& model);

// Fills in the system prompts (digits, case status words) in Russian and
// English where the configuration did not give its own text.
void AddDefaultIvrPrompts(IvrModel& model);

}  // namespace gosline
