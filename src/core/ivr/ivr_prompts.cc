#include "core/ivr/ivr_prompts.h"

#include <algorithm>

namespace gosline {

std::string PromptKey(std::string_view language, std::string_view prompt_id) {
  std::string key(language);
  key.push_back('/');
  key.append(prompt_id);
  return key;
}

std::string DigitPromptId(char digit) {
  if (digit == '*') return "digit/star";
  if (digit == '#') return "digit/hash";
  return std::string("digit/") + digit;
}

std::string CaseStatusPromptId(CaseStatus status) {
  return "case_status/" + std::string(ToString(status));
}

std::vector<IvrPromptEntry> PromptCatalogue(const IvrModel& model) {
  std::vector<IvrPromptEntry> entries;
  for (const auto& [id, texts] : model.prompts) {
    for (const auto& [language, text] : texts) {
      // Only languages a caller can reach are worth preparing.
      if (std::find(model.languages.begin(), model.languages.end(), language) ==
          model.languages.end()) {
        continue;
      }
      IvrPromptEntry e;
      e.key = PromptKey(language, id);
      e.language = language;
      if (!text.wav_path.empty()) {
        e.wav_path = text.wav_path;
      } else {
        e.text = text.text;
      }
      e.voice = text.voice.empty() ? language : text.voice;
      entries.push_back(std::move(e));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const IvrPromptEntry& a, const IvrPromptEntry& b) { return a.key < b.key; });
  return entries;
}

}  // namespace gosline
