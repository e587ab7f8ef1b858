#include "telephony/g711_codec.h"

#include <spandsp.h>

namespace gosline::telephony {

void G711Encode(G711Law law, std::span<const int16_t> pcm, uint8_t* out) {
  if (law == G711Law::kAlaw) {
    for (size_t i = 0; i < pcm.size(); ++i) out[i] = linear_to_alaw(pcm[i]);
  } else {
    for (size_t i = 0; i < pcm.size(); ++i) out[i] = linear_to_ulaw(pcm[i]);
  }
}

void G711Decode(G711Law law, std::span<const uint8_t> coded, int16_t* out) {
  if (law == G711Law::kAlaw) {
    for (size_t i = 0; i < coded.size(); ++i) out[i] = alaw_to_linear(coded[i]);
  } else {
    for (size_t i = 0; i < coded.size(); ++i) out[i] = ulaw_to_linear(coded[i]);
  }
}

uint8_t G711Silence(G711Law law) {
  return law == G711Law::kAlaw ? linear_to_alaw(0) : linear_to_ulaw(0);
}

}  // namespace gosline::telephony
