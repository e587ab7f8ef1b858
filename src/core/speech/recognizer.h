// Speech recognition as a streaming engine behind one interface (R7), so the
// IVR does not depend on which open engine listens (pocketsphinx today, a Vosk
// model for Russian later). An engine is fed 20 ms frames of 16-bit mono PCM
// at the turn's rate and answers partial and final hypotheses. A turn may
// restrict what can be heard to a list of phrases (the IVR's intents, "yes",
// "no", digits): a closed list is what makes a small on-premises model
// reliable on a phone line.
//
// An engine is not thread-safe: one utterance at a time, on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace gosline {

// What the caller is expected to say in this turn.
struct RecognitionTurn {
  std::string language = "en";       // "en", "ru"
  int sample_rate = 8000;            // 8000 (G.711) or 16000
  // Phrases that may be heard, lower case, words separated by spaces. Empty:
  // the engine's open vocabulary (when it has one).
  std::vector<std::string> phrases;
  // The phrases may follow one another (a number said digit by digit).
  bool sequence = false;
};

struct RecognitionHypothesis {
  std::string text;         // lower case words; "" = nothing recognised
  double confidence = 0.0;  // 0..1, the engine's posterior for `text`
  bool final = false;       // partial hypotheses may still change
};

class Recognizer {
 public:
  virtual ~Recognizer() = default;
  // Starts an utterance; fails for a language the engine has no model for or
  // a phrase list it cannot compile (a word missing from its dictionary).
  virtual Status Begin(const RecognitionTurn& turn) = 0;
  // One frame of audio (any length; 20 ms is usual). A partial hypothesis
  // when the best guess changed, nothing otherwise.
  virtual std::optional<RecognitionHypothesis> Feed(std::span<const int16_t> pcm) = 0;
  // Ends the utterance: the final hypothesis (text "" when nothing matched).
  virtual RecognitionHypothesis Finish() = 0;
};

// Makes engines, one per worker thread (they are heavy: an acoustic model each).
class RecognizerFactory {
 public:
  virtual ~RecognizerFactory() = default;
  virtual Result<std::unique_ptr<Recognizer>> Create() = 0;
  // Languages this engine has a model for.
  virtual std::vector<std::string> Languages() const = 0;
};

}  // namespace gosline
