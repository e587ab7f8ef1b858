#include "telephony/prompt_library.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <unistd.h>

#include "telephony/espeak_synthesizer.h"
#include "telephony/resampler.h"
#include "telephony/wav_file.h"

namespace gosline::telephony {
namespace {

// Bumped when synthesis parameters change, so old cache files are not reused.
constexpr const char* kSynthesisVersion = "espeak-ng/150wpm/8k/v1";

uint64_t Fnv1a64(const std::string& s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

Result<std::vector<int16_t>> LoadWavAs8k(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(PcmAudio audio, ReadWavMono(path));
  return Resample(audio.samples, audio.sample_rate, kLineRate);
}

}  // namespace

std::string PromptLibrary::CacheKey(const std::string& text, const std::string& language) {
  uint64_t h = Fnv1a64(kSynthesisVersion);
  h = Fnv1a64("\n" + language + "\n", h);
  h = Fnv1a64(text, h);
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, h);
  return buf;
}

Result<std::vector<int16_t>> PromptLibrary::SpeakCached(const std::string& text,
                                                        const std::string& language,
                                                        const std::string& cache_dir) {
  const std::string path = cache_dir + "/" + CacheKey(text, language) + ".wav";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    Result<PcmAudio> cached = ReadWavMono(path);
    if (cached.ok() && cached->sample_rate == kLineRate && !cached->samples.empty()) {
      return std::move(cached->samples);
    }
    // An unreadable cache file is rebuilt below.
  }
  SpeechParams params;
  params.voice = language.empty() ? "ru" : language;
  GOSLINE_ASSIGN_OR_RETURN(PcmAudio speech, SynthesizeSpeech(text, params));
  PcmAudio line{kLineRate, Resample(speech.samples, speech.sample_rate, kLineRate)};
  std::filesystem::create_directories(cache_dir, ec);
  if (ec) return Status::IoError("cannot create prompt cache " + cache_dir + ": " + ec.message());
  // Written aside and renamed: another process sharing the cache never reads
  // a half-written file.
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  GOSLINE_RETURN_IF_ERROR(WriteWavMono16(tmp, line));
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot store prompt " + path + ": " + ec.message());
  return std::move(line.samples);
}

Result<std::shared_ptr<const PromptLibrary>> PromptLibrary::Load(
    const std::vector<PromptSpec>& specs, const std::string& cache_dir) {
  auto lib = std::make_shared<PromptLibrary>();
  for (const PromptSpec& spec : specs) {
    if (spec.id.empty()) return Status::InvalidArgument("prompt without id", "prompts");
    if (lib->prompts_.count(spec.id) != 0) {
      return Status::AlreadyExists("prompt '" + spec.id + "' defined twice", "prompts");
    }
    Result<std::vector<int16_t>> pcm =
        spec.wav_path.empty() ? SpeakCached(spec.text, spec.language, cache_dir)
                              : LoadWavAs8k(spec.wav_path);
    if (!pcm.ok()) {
      return Status::InvalidArgument("prompt '" + spec.id + "': " + pcm.status().message(),
                                     "prompts");
    }
    lib->prompts_[spec.id] = MakePrompt(spec.id, std::move(*pcm));
  }
  return std::shared_ptr<const PromptLibrary>(std::move(lib));
}

std::shared_ptr<const Prompt> PromptLibrary::Find(const std::string& id) const {
  auto it = prompts_.find(id);
  return it == prompts_.end() ? nullptr : it->second;
}

}  // namespace gosline::telephony
