// An SDP offer (or answer) from a caller's or an operator's phone checked
// against what we can do: the audio to use and where to send it, or the SIP
// error that says why not. Shared by the caller's leg (INVITE, re-INVITE,
// ACK) and the operator's leg (200 to our INVITE, re-INVITE).
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>

#include "telephony/codec_negotiation.h"
#include "telephony/sip_endpoint.h"

namespace gosline::telephony {

struct OfferCheck {
  std::optional<SipAnswer> error;
  NegotiatedAudio audio;
  sockaddr_in remote{};
};

// An offer (INVITE, re-INVITE) answered under `srtp` (R22): SRTP keys in
// audio.srtp when the offer is RTP/SAVP and the policy allows it; 488 with a
// Reason when the policy refuses it. `current`: the leg's keys so far.
OfferCheck CheckOffer(const std::string& content_type, const std::string& body,
                      const SrtpPolicy& srtp = {},
                      const std::optional<SrtpKeys>& current = std::nullopt);

// An answer to our offer (an operator's 200, the ACK of a late offer):
// SRTP exactly when we offered it (`offered`: our crypto line).
OfferCheck CheckAnswer(const std::string& content_type, const std::string& body,
                       const std::optional<SdpCrypto>& offered);

}  // namespace gosline::telephony
