#include "core/speech/utterance_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace gosline {
namespace {

constexpr int kFrame = 160;  // 20 ms at 8 kHz

std::vector<int16_t> Tone(double amplitude) {
  std::vector<int16_t> f(kFrame);
  for (int i = 0; i < kFrame; ++i) {
    f[i] = static_cast<int16_t>(amplitude * std::sin(2 * 3.14159265 * 300 * i / 8000.0));
  }
  return f;
}

TEST(UtteranceDetectorTest, SilenceIsNeverSpeech) {
  UtteranceDetector vad;
  const std::vector<int16_t> silence(kFrame, 0);
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(vad.Feed(silence), UtteranceDetector::Change::kNone);
  }
  EXPECT_FALSE(vad.speaking());
}

TEST(UtteranceDetectorTest, FindsOneUtteranceWithPreroll) {
  UtteranceDetector vad;
  const std::vector<int16_t> silence(kFrame, 0);
  const std::vector<int16_t> voice = Tone(8000);
  for (int i = 0; i < 20; ++i) vad.Feed(silence);
  int started = -1;
  for (int i = 0; i < 25; ++i) {
    if (vad.Feed(voice) == UtteranceDetector::Change::kSpeechStarted) started = i;
  }
  EXPECT_EQ(started, 2);  // 60 ms of voice
  EXPECT_TRUE(vad.speaking());
  int ended = -1;
  for (int i = 0; i < 100 && ended < 0; ++i) {
    if (vad.Feed(silence) == UtteranceDetector::Change::kUtteranceEnded) ended = i;
  }
  EXPECT_EQ(ended, 34);  // 700 ms of quiet
  const std::vector<int16_t> utterance = vad.TakeUtterance();
  // Pre-roll + 25 voiced frames + the quiet tail.
  EXPECT_GE(utterance.size(), static_cast<size_t>((25 + 35) * kFrame));
  EXPECT_TRUE(vad.TakeUtterance().empty());
}

TEST(UtteranceDetectorTest, LongSpeechIsCutAtTheBound) {
  UtteranceDetectorParams params;
  params.max_utterance_ms = 1000;
  UtteranceDetector vad(params);
  const std::vector<int16_t> voice = Tone(8000);
  bool ended = false;
  for (int i = 0; i < 200 && !ended; ++i) {
    ended = vad.Feed(voice) == UtteranceDetector::Change::kUtteranceEnded;
  }
  EXPECT_TRUE(ended);
  EXPECT_LE(vad.TakeUtterance().size(), static_cast<size_t>(8000 * 2));
}

}  // namespace
}  // namespace gosline
