// WAV files through libsndfile: read any rate/channels/format as 16-bit mono,
// write 16-bit mono (the prompt cache).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace gosline::telephony {

struct PcmAudio {
  int sample_rate = 0;
  std::vector<int16_t> samples;  // mono
};

Result<PcmAudio> ReadWavMono(const std::string& path);
// Writes to a temporary name and renames, so a crash never leaves half a file.
Status WriteWavMono16(const std::string& path, const PcmAudio& audio);

}  // namespace gosline::telephony
