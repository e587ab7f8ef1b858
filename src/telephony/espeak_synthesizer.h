// Text to speech with the espeak-ng library. espeak-ng keeps global state, so
// all calls are serialised; synthesis happens at start-up (and for texts first
// needed at run time), never on the media loop.
//
// Threads: SynthesizeSpeech may be called from any thread; one lock (in the
// .cc) guards espeak-ng and the buffer its callback fills, which espeak-ng
// calls on the caller's thread, inside the synthesis (synchronous mode).
#pragma once

#include <string>

#include "core/common/status.h"
#include "telephony/wav_file.h"

namespace gosline::telephony {

struct SpeechParams {
  std::string voice = "ru";   // espeak-ng voice name: "ru", "en"
  int words_per_minute = 150; // a little slower than espeak's 175: callers on a phone line
};

// Mono 16-bit audio at espeak-ng's native rate (22050 Hz).
Result<PcmAudio> SynthesizeSpeech(const std::string& utf8_text, const SpeechParams& params);

}  // namespace gosline::telephony
