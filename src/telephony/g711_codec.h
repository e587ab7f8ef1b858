// G.711 A-law / mu-law over whole frames (spandsp's per-sample converters).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace gosline::telephony {

enum class G711Law { kAlaw, kUlaw };

void G711Encode(G711Law law, std::span<const int16_t> pcm, uint8_t* out);
void G711Decode(G711Law law, std::span<const uint8_t> coded, int16_t* out);
// The code for digital silence (0 linear) in the given law.
uint8_t G711Silence(G711Law law);

}  // namespace gosline::telephony
