// R7: utterances are recognised on worker threads; the submitter never waits,
// and a full queue answers "nothing heard" at once.
#include "telephony/recognition_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "telephony/espeak_synthesizer.h"
#include "telephony/pocketsphinx_recognizer.h"
#include "telephony/resampler.h"

namespace gosline::telephony {
namespace {

std::vector<int16_t> Say(const std::string& text) {
  Result<PcmAudio> speech = SynthesizeSpeech(text, SpeechParams{"en", 150});
  EXPECT_TRUE(speech.ok());
  if (!speech.ok()) return {};
  std::vector<int16_t> line = Resample(speech->samples, speech->sample_rate, 8000);
  line.insert(line.end(), 4000, 0);
  return line;
}

RecognitionTurn Topics() {
  RecognitionTurn t;
  t.language = "en";
  t.phrases = {"certificate", "passport", "pension"};
  return t;
}

TEST(RecognitionWorkersTest, R7_RecognisesOnAWorkerAndAnswersThroughDone) {
  if (!PocketsphinxModelInstalled(PocketsphinxModel{})) GTEST_SKIP() << "no pocketsphinx-en-us";
  PocketsphinxRecognizerFactory factory{PocketsphinxModel{}};
  RecognitionWorkers workers(factory, 1, 4);
  EXPECT_TRUE(workers.Supports("en"));
  EXPECT_FALSE(workers.Supports("ru"));
  std::promise<RecognitionHypothesis> answer;
  workers.Submit(Topics(), Say("certificate"),
                 [&answer](RecognitionHypothesis h) { answer.set_value(std::move(h)); });
  std::future<RecognitionHypothesis> got = answer.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const RecognitionHypothesis h = got.get();
  EXPECT_EQ(h.text, "certificate");
  EXPECT_TRUE(h.final);
}

TEST(RecognitionWorkersTest, R7_AFullQueueAnswersNothingHeardAtOnce) {
  if (!PocketsphinxModelInstalled(PocketsphinxModel{})) GTEST_SKIP() << "no pocketsphinx-en-us";
  PocketsphinxRecognizerFactory factory{PocketsphinxModel{}};
  RecognitionWorkers workers(factory, 1, 0);  // no room to wait
  bool answered = false;
  RecognitionHypothesis h;
  workers.Submit(Topics(), Say("pension"), [&](RecognitionHypothesis r) {
    answered = true;
    h = std::move(r);
  });
  EXPECT_TRUE(answered);  // on this thread, before Submit returned
  EXPECT_EQ(h.text, "");
  EXPECT_EQ(workers.rejected(), 1u);
}

TEST(RecognitionWorkersTest, R7_StopAnswersWhatWaits) {
  if (!PocketsphinxModelInstalled(PocketsphinxModel{})) GTEST_SKIP() << "no pocketsphinx-en-us";
  PocketsphinxRecognizerFactory factory{PocketsphinxModel{}};
  RecognitionWorkers workers(factory, 1, 8);
  std::atomic<int> answers{0};
  for (int i = 0; i < 4; ++i) {
    workers.Submit(Topics(), Say("passport"), [&answers](RecognitionHypothesis) { ++answers; });
  }
  workers.Stop();
  EXPECT_EQ(answers.load(), 4);  // each done ran once: decoded or dropped
}

}  // namespace
}  // namespace gosline::telephony
