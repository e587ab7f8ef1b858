#include "telephony/prompt_player.h"

#include <algorithm>
#include <array>

namespace gosline::telephony {
namespace {

const uint8_t* SilenceFrame(G711Law law) {
  static const std::array<uint8_t, kFrameSamples> alaw = [] {
    std::array<uint8_t, kFrameSamples> a;
    a.fill(G711Silence(G711Law::kAlaw));
    return a;
  }();
  static const std::array<uint8_t, kFrameSamples> ulaw = [] {
    std::array<uint8_t, kFrameSamples> a;
    a.fill(G711Silence(G711Law::kUlaw));
    return a;
  }();
  return law == G711Law::kAlaw ? alaw.data() : ulaw.data();
}

}  // namespace

void PromptPlayer::Play(uint64_t playback_id, std::vector<std::shared_ptr<const Prompt>> prompts,
                        bool loop) {
  prompts.erase(std::remove(prompts.begin(), prompts.end(), nullptr), prompts.end());
  playback_id_ = playback_id;
  prompts_ = std::move(prompts);
  loop_ = loop;
  prompt_index_ = 0;
  frame_index_ = 0;
  repeating_ = false;
}

void PromptPlayer::Stop(uint64_t playback_id) {
  if (playback_id == 0 || playback_id == playback_id_) prompts_.clear();
}

PromptPlayer::Frame PromptPlayer::Next(G711Law law) {
  if (prompts_.empty()) return {SilenceFrame(law), std::nullopt};
  last_ = prompts_[prompt_index_];
  const Prompt& p = *last_;
  Frame f{p.Frame(law, frame_index_), std::nullopt,
          frame_index_ == 0 && !repeating_ ? &p : nullptr};
  if (++frame_index_ >= p.frames()) {
    frame_index_ = 0;
    if (++prompt_index_ >= prompts_.size()) {
      prompt_index_ = 0;
      repeating_ = true;
      if (!loop_) {
        f.finished = playback_id_;
        prompts_.clear();
      }
    }
  }
  return f;
}

}  // namespace gosline::telephony
