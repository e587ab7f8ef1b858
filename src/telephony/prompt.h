// A prompt ready for the line: 8 kHz mono PCM, pre-encoded in both G.711 laws
// so the media loop only copies bytes. Padded to whole 20 ms frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "telephony/g711_codec.h"

namespace gosline::telephony {

constexpr int kLineRate = 8000;
constexpr size_t kFrameSamples = 160;  // 20 ms at 8 kHz

struct Prompt {
  std::string id;
  std::vector<int16_t> pcm;
  std::vector<uint8_t> alaw;
  std::vector<uint8_t> ulaw;

  size_t frames() const { return pcm.size() / kFrameSamples; }
  const uint8_t* Frame(G711Law law, size_t index) const {
    return (law == G711Law::kAlaw ? alaw.data() : ulaw.data()) + index * kFrameSamples;
  }
};

// Builds a Prompt from 8 kHz PCM (pads, encodes).
std::shared_ptr<const Prompt> MakePrompt(std::string id, std::vector<int16_t> pcm_8k);

}  // namespace gosline::telephony
