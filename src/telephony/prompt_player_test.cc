#include "telephony/prompt_player.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gosline::telephony {
namespace {

TEST(PromptPlayer, PlaysFramesThenReportsFinishedThenSilence) {
  PromptPlayer p;
  auto a = MakePrompt("a", std::vector<int16_t>(kFrameSamples * 2, 1000));
  auto b = MakePrompt("b", std::vector<int16_t>(kFrameSamples + 1, 1000));  // padded to 2 frames
  p.Play(7, {a, b});
  int frames = 0;
  std::optional<uint64_t> finished;
  while (p.playing() && frames < 100) {
    auto f = p.Next(G711Law::kAlaw);
    EXPECT_EQ(f.coded[0], a->alaw[0]);
    finished = f.finished;
    ++frames;
  }
  EXPECT_EQ(frames, 4);
  EXPECT_EQ(finished, 7u);
  auto silence = p.Next(G711Law::kAlaw);
  EXPECT_EQ(silence.coded[0], G711Silence(G711Law::kAlaw));
  EXPECT_FALSE(silence.finished);
}

TEST(PromptPlayer, StopOnlyStopsCurrentPlayback) {
  PromptPlayer p;
  p.Play(1, {MakePrompt("a", std::vector<int16_t>(kFrameSamples * 5, 1))});
  p.Stop(2);
  EXPECT_TRUE(p.playing());
  p.Stop(1);
  EXPECT_FALSE(p.playing());
}

TEST(PromptPlayer, MarksTheFirstFrameOfEachPromptSoCallsKnowWhatWasHeard) {
  PromptPlayer p;
  auto a = MakePrompt("a", std::vector<int16_t>(kFrameSamples * 2, 1000));
  auto b = MakePrompt("b", std::vector<int16_t>(kFrameSamples, 1000));
  p.Play(3, {a, b}, /*loop=*/true);
  std::vector<std::string> started;
  for (int i = 0; i < 6; ++i) {
    auto f = p.Next(G711Law::kUlaw);
    started.push_back(f.started ? f.started->id : "-");
  }
  EXPECT_EQ(started, (std::vector<std::string>{"a", "-", "b", "-", "-", "-"}));
  p.Play(4, {a, a});  // a prompt twice in a row is heard twice
  EXPECT_EQ(p.Next(G711Law::kUlaw).started, a.get());
  p.Next(G711Law::kUlaw);
  EXPECT_EQ(p.Next(G711Law::kUlaw).started, a.get());
  p.Stop(0);
  EXPECT_EQ(p.Next(G711Law::kUlaw).started, nullptr);
}

}  // namespace
}  // namespace gosline::telephony
