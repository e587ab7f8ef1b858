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

OfferCheck CheckOffer(const std::string& content_type, const std::string& body);

}  // namespace gosline::telephony
