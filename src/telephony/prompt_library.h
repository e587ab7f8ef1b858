// All prompts of the service, prepared once at start-up: text is synthesised
// with espeak-ng (cached as var/prompts/<hash>.wav so restarts are fast), WAV
// files are converted to 8 kHz mono. Read-only after Load; shared by threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "telephony/prompt.h"
#include "telephony/telephony_config.h"

namespace gosline::telephony {

class PromptLibrary {
 public:
  static Result<std::shared_ptr<const PromptLibrary>> Load(const std::vector<PromptSpec>& specs,
                                                           const std::string& cache_dir);

  // nullptr when there is no prompt with that id.
  std::shared_ptr<const Prompt> Find(const std::string& id) const;
  size_t size() const { return prompts_.size(); }

  // Synthesises (or reads from the cache) one text as 8 kHz PCM. Exposed for
  // texts that are only known at run time (answers, case status).
  static Result<std::vector<int16_t>> SpeakCached(const std::string& text,
                                                  const std::string& language,
                                                  const std::string& cache_dir);
  // The cache file name for a text: stable across runs and machines.
  static std::string CacheKey(const std::string& text, const std::string& language);

 private:
  std::map<std::string, std::shared_ptr<const Prompt>> prompts_;
};

}  // namespace gosline::telephony
