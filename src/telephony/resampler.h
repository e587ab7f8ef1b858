// Sample-rate conversion for prompts (espeak-ng speaks at 22050 Hz, WAV files
// come at any rate; the line is 8 kHz). Windowed-sinc (Blackman) low-pass
// interpolation: slow enough only for start-up, clean enough for speech.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace gosline::telephony {

std::vector<int16_t> Resample(std::span<const int16_t> in, int in_rate, int out_rate);

}  // namespace gosline::telephony
