// Our SDP answer text for a negotiated audio stream.
#pragma once

#include <cstdint>
#include <string>

#include "telephony/codec_negotiation.h"

namespace gosline::telephony {

struct SdpAnswerParams {
  std::string address;    // our RTP address
  uint16_t port = 0;      // our RTP port
  uint64_t session_id = 0;
  uint64_t version = 0;   // incremented on every new answer in the dialog
};

std::string RenderSdpAnswer(const SdpAnswerParams& params, const NegotiatedAudio& audio);

}  // namespace gosline::telephony
