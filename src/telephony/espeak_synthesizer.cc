#include "telephony/espeak_synthesizer.h"

#include <espeak-ng/speak_lib.h>

#include "core/common/thread_annotations.h"

namespace gosline::telephony {
namespace {

Mutex g_mu;  // guards espeak-ng itself as well as these
int g_sample_rate GOSLINE_GUARDED_BY(g_mu) = 0;          // set once espeak-ng is initialised
std::vector<int16_t>* g_sink GOSLINE_GUARDED_BY(g_mu);   // the buffer of the synthesis in progress

int CollectSamples(short* wav, int n, espeak_EVENT*) {
  g_mu.AssertHeld();  // called only inside espeak_Synth, by SynthesizeSpeech
  if (wav != nullptr && n > 0 && g_sink != nullptr) g_sink->insert(g_sink->end(), wav, wav + n);
  return 0;  // continue
}

}  // namespace

Result<PcmAudio> SynthesizeSpeech(const std::string& text, const SpeechParams& params) {
  MutexLock lock(g_mu);
  if (g_sample_rate <= 0) {
    g_sample_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                                      espeakINITIALIZE_DONT_EXIT);
    if (g_sample_rate <= 0) return Status::Unavailable("espeak-ng failed to initialise");
    espeak_SetSynthCallback(&CollectSamples);
  }
  if (espeak_SetVoiceByName(params.voice.c_str()) != EE_OK) {
    return Status::InvalidArgument("espeak-ng has no voice '" + params.voice + "'", "language");
  }
  espeak_SetParameter(espeakRATE, params.words_per_minute, 0);

  PcmAudio out;
  out.sample_rate = g_sample_rate;
  g_sink = &out.samples;
  const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                        espeakCHARS_UTF8, nullptr, nullptr);
  espeak_Synchronize();
  g_sink = nullptr;
  if (err != EE_OK) return Status::Internal("espeak-ng synthesis failed");
  if (out.samples.empty()) return Status::InvalidArgument("espeak-ng produced no audio", "text");
  return out;
}

}  // namespace gosline::telephony
