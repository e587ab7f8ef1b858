// A caller's SDP offer (R5: media for the IVR) through what the SIP thread
// does with it: parse, negotiate the codec, render our answer. Oracle: our
// answer must itself parse, and read back as an offer it names the codec,
// payload types and direction we chose.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "telephony/codec_negotiation.h"
#include "telephony/sdp_answer.h"
#include "telephony/sdp_offer.h"

using namespace gosline::telephony;

namespace {

MediaDirection AnswerDirection(const NegotiatedAudio& a) {
  if (a.we_send && a.we_receive) return MediaDirection::kSendRecv;
  if (a.we_send) return MediaDirection::kSendOnly;
  if (a.we_receive) return MediaDirection::kRecvOnly;
  return MediaDirection::kInactive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gosline::Result<SdpAudioOffer> offer = ParseSdpAudioOffer(text);
  if (!offer.ok()) return 0;
  FUZZ_CHECK(offer->port != 0);
  gosline::Result<NegotiatedAudio> audio = NegotiateAudio(*offer);
  if (!audio.ok()) return 0;

  const std::string answer_text =
      RenderSdpAnswer({.address = "127.0.0.1", .port = 40000, .session_id = 1, .version = 2}, *audio);
  gosline::Result<SdpAudioOffer> answer = ParseSdpAudioOffer(answer_text);
  FUZZ_CHECK(answer.ok());
  FUZZ_CHECK(answer->port == 40000);
  FUZZ_CHECK(answer->address == "127.0.0.1");
  FUZZ_CHECK(answer->direction == AnswerDirection(*audio));
  // Read as an offer, our answer names the codec first (order of preference).
  FUZZ_CHECK(!answer->formats.empty());
  FUZZ_CHECK(answer->formats.front().payload_type == audio->payload_type);
  gosline::Result<NegotiatedAudio> again = NegotiateAudio(*answer);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->law == audio->law);
  FUZZ_CHECK(again->payload_type == audio->payload_type);
  FUZZ_CHECK(again->telephone_event_pt == audio->telephone_event_pt);
  return 0;
}
