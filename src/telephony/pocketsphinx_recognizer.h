// The Recognizer (core/speech/recognizer.h) over CMU pocketsphinx, the open
// on-premises engine Debian ships with a US English model (pocketsphinx-en-us).
// A turn with phrases is decoded against a JSGF grammar made of exactly those
// phrases (a closed list is what a small model can recognise reliably over a
// phone line); a turn without phrases uses the model's n-gram language model.
// The model is trained on 16 kHz speech: 8 kHz line audio is doubled in rate
// and the band above 4 kHz, which the line cut off, is filled with quiet
// noise (a microphone's floor, as in the training audio); without it the
// empty upper filters throw the features off and words are confused.
// Confidence: the turn's best path is compared, per frame, with the best path
// through "babble" (any sequence of short common words) over the same audio,
// a log-likelihood ratio: speech that is the phrase scores well above babble,
// a forced match of other speech does not. (A free phone loop would be the
// textbook comparison; pocketsphinx's is too slow for a phone line.)
//
// Threads: one decoder per object, used by one thread at a time (the
// recognition workers own one each).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/speech/recognizer.h"

namespace gosline::telephony {

struct PocketsphinxModel {
  std::string language = "en";
  std::string acoustic_model = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::string dictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
  std::string language_model = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";  // "" = none
};

// Whether the model's files are installed.
bool PocketsphinxModelInstalled(const PocketsphinxModel& model);

class PocketsphinxRecognizer final : public Recognizer {
 public:
  static Result<std::unique_ptr<PocketsphinxRecognizer>> Open(const PocketsphinxModel& model);
  ~PocketsphinxRecognizer() override;
  PocketsphinxRecognizer(const PocketsphinxRecognizer&) = delete;
  PocketsphinxRecognizer& operator=(const PocketsphinxRecognizer&) = delete;

  Status Begin(const RecognitionTurn& turn) override;
  std::optional<RecognitionHypothesis> Feed(std::span<const int16_t> pcm) override;
  RecognitionHypothesis Finish() override;

 private:
  struct Impl;
  explicit PocketsphinxRecognizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class PocketsphinxRecognizerFactory final : public RecognizerFactory {
 public:
  explicit PocketsphinxRecognizerFactory(PocketsphinxModel model) : model_(std::move(model)) {}
  Result<std::unique_ptr<Recognizer>> Create() override;
  std::vector<std::string> Languages() const override { return {model_.language}; }

 private:
  PocketsphinxModel model_;
};

}  // namespace gosline::telephony
