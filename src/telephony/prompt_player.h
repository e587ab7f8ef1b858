// What a call is playing: a list of prompts played back to back, frame by
// frame, in the call's G.711 law; silence when nothing plays. A playback can
// loop (waiting music/messages in a queue).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "telephony/prompt.h"

namespace gosline::telephony {

class PromptPlayer {
 public:
  void Play(uint64_t playback_id, std::vector<std::shared_ptr<const Prompt>> prompts,
            bool loop = false);
  // Stops the playback if it is the current one (0 stops whatever plays).
  void Stop(uint64_t playback_id);
  bool playing() const { return !prompts_.empty(); }

  struct Frame {
    const uint8_t* coded;               // kFrameSamples bytes, never null
    std::optional<uint64_t> finished;   // the playback ended with this frame
    // This frame is the first of this prompt (on a loop's first pass only:
    // the record of what a caller heard need not repeat the waiting message).
    const Prompt* started = nullptr;
  };
  Frame Next(G711Law law);

 private:
  uint64_t playback_id_ = 0;
  std::vector<std::shared_ptr<const Prompt>> prompts_;
  std::shared_ptr<const Prompt> last_;  // keeps the frame returned last alive
  bool loop_ = false;
  size_t prompt_index_ = 0;
  size_t frame_index_ = 0;
  bool repeating_ = false;  // a looping playback is past its first pass
};

}  // namespace gosline::telephony
