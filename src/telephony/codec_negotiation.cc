#include "telephony/codec_negotiation.h"

#include <strings.h>

namespace gosline::telephony {
namespace {

bool NameIs(const SdpFormat& f, const char* name) {
  return strcasecmp(f.encoding.c_str(), name) == 0 && f.clock_rate == 8000;
}

}  // namespace

Result<NegotiatedAudio> NegotiateAudio(const SdpAudioOffer& offer) {
  NegotiatedAudio out;
  bool have_codec = false;
  for (const SdpFormat& f : offer.formats) {
    if (!have_codec && (NameIs(f, "PCMA") || NameIs(f, "PCMU"))) {
      out.law = NameIs(f, "PCMA") ? G711Law::kAlaw : G711Law::kUlaw;
      out.payload_type = f.payload_type;
      have_codec = true;
    } else if (!out.telephone_event_pt && NameIs(f, "telephone-event")) {
      out.telephone_event_pt = f.payload_type;
    }
  }
  if (!have_codec) return Status::NotFound("no supported codec offered (need PCMA or PCMU)");
  // The caller's direction mirrored: when it only sends (or nothing), we stop sending.
  const MediaDirection d = offer.direction;
  out.we_send = !offer.hold_by_zero_address &&
                (d == MediaDirection::kSendRecv || d == MediaDirection::kRecvOnly);
  out.we_receive = d == MediaDirection::kSendRecv || d == MediaDirection::kSendOnly;
  return out;
}

}  // namespace gosline::telephony
