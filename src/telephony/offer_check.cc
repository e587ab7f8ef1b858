#include "telephony/offer_check.h"

#include <arpa/inet.h>
#include <strings.h>

#include "telephony/sdp_offer.h"

namespace gosline::telephony {
namespace {

bool IsSdp(const std::string& content_type) {
  return strncasecmp(content_type.c_str(), "application/sdp", 15) == 0;
}

// 488 for an SRTP policy refusal: the Warning and the Reason say why.
SipAnswer RefuseSrtp(const Status& why) {
  SipAnswer a = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  why.message());
  a.reason = why.message();
  return a;
}

// The SDP checked and negotiated; `keys` decides SRTP from the parsed SDP.
template <typename SrtpDecision>
OfferCheck Check(const std::string& content_type, const std::string& body, SrtpDecision keys) {
  OfferCheck out;
  if (body.empty()) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  "an SDP offer is required");
    return out;
  }
  if (!IsSdp(content_type)) {
    out.error = SipAnswer::Reject(415, "Unsupported Media Type", CallEndReason::kBadRequest,
                                  "body must be application/sdp");
    return out;
  }
  Result<SdpAudioOffer> offer = ParseSdpAudioOffer(body);
  if (!offer.ok()) {
    const bool malformed = offer.status().code() == Status::Code::kInvalidArgument;
    out.error = malformed ? SipAnswer::Reject(400, "Bad Session Description",
                                              CallEndReason::kBadRequest, offer.status().message())
                          : SipAnswer::Reject(488, "Not Acceptable Here",
                                              CallEndReason::kNoCommonCodec,
                                              offer.status().message());
    return out;
  }
  Result<NegotiatedAudio> audio = NegotiateAudio(*offer);
  if (!audio.ok()) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  audio.status().message());
    return out;
  }
  Result<std::optional<SrtpKeys>> srtp = keys(*offer);
  if (!srtp.ok()) {
    out.error = RefuseSrtp(srtp.status());
    return out;
  }
  out.audio = *audio;
  out.audio.srtp = *srtp;
  out.remote.sin_family = AF_INET;
  out.remote.sin_port = htons(offer->port);
  if (inet_pton(AF_INET, offer->address.c_str(), &out.remote.sin_addr) != 1) {
    out.error = SipAnswer::Reject(488, "Not Acceptable Here", CallEndReason::kNoCommonCodec,
                                  "audio address must be an IPv4 literal");
  }
  return out;
}

}  // namespace

OfferCheck CheckOffer(const std::string& content_type, const std::string& body,
                      const SrtpPolicy& srtp, const std::optional<SrtpKeys>& current) {
  return Check(content_type, body,
               [&](const SdpAudioOffer& offer) { return AnswerSrtp(offer, srtp, current); });
}

OfferCheck CheckAnswer(const std::string& content_type, const std::string& body,
                       const std::optional<SdpCrypto>& offered) {
  return Check(content_type, body,
               [&](const SdpAudioOffer& answer) { return AcceptSrtpAnswer(answer, offered); });
}

}  // namespace gosline::telephony
