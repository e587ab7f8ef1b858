// Offer/answer codec choice (RFC 3264): the first of the caller's formats we
// support (PCMA, PCMU at 8 kHz) wins; telephone-event is kept when offered.
#pragma once

#include <optional>

#include "core/common/status.h"
#include "telephony/g711_codec.h"
#include "telephony/sdp_offer.h"
#include "telephony/srtp_negotiation.h"

namespace gosline::telephony {

struct NegotiatedAudio {
  G711Law law = G711Law::kAlaw;
  int payload_type = 8;                        // the caller's number for the codec
  std::optional<int> telephone_event_pt;       // RFC 4733, when the caller offered it
  // What we do: send unless the caller is on hold (sendonly/inactive/0.0.0.0).
  bool we_send = true;
  bool we_receive = true;
  // SRTP keys (R22) when the leg's audio is encrypted; nullopt: plain RTP.
  // Set by the offer check (srtp_negotiation.h), not by NegotiateAudio.
  std::optional<SrtpKeys> srtp;
};

// NotFound when no offered format is supported (-> 488).
Result<NegotiatedAudio> NegotiateAudio(const SdpAudioOffer& offer);

}  // namespace gosline::telephony
