#include "telephony/codec_negotiation.h"

#include <gtest/gtest.h>

#include "telephony/sdp_answer.h"

namespace gosline::telephony {
namespace {

SdpAudioOffer Offer(std::vector<SdpFormat> formats) {
  SdpAudioOffer o;
  o.address = "10.0.0.5";
  o.port = 4000;
  o.formats = std::move(formats);
  return o;
}

TEST(CodecNegotiation, FirstSupportedCodecInCallersOrderWins) {
  auto a = NegotiateAudio(Offer({{18, "G729", 8000}, {0, "PCMU", 8000}, {8, "PCMA", 8000},
                                 {101, "telephone-event", 8000}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->law, G711Law::kUlaw);
  EXPECT_EQ(a->payload_type, 0);
  EXPECT_EQ(a->telephone_event_pt, 101);
}

TEST(CodecNegotiation, NoCommonCodecIsNotFound) {
  auto a = NegotiateAudio(Offer({{18, "G729", 8000}, {9, "G722", 8000}}));
  EXPECT_EQ(a.status().code(), Status::Code::kNotFound);
}

TEST(CodecNegotiation, HoldStopsSending) {
  SdpAudioOffer o = Offer({{8, "PCMA", 8000}});
  o.direction = MediaDirection::kSendOnly;
  EXPECT_FALSE(NegotiateAudio(o)->we_send);
  o.direction = MediaDirection::kInactive;
  EXPECT_FALSE(NegotiateAudio(o)->we_send);
  o.direction = MediaDirection::kSendRecv;
  o.hold_by_zero_address = true;
  EXPECT_FALSE(NegotiateAudio(o)->we_send);
}

TEST(SdpAnswer, NamesChosenCodecAndDirection) {
  auto a = NegotiateAudio(Offer({{8, "PCMA", 8000}, {96, "telephone-event", 8000}}));
  std::string sdp = RenderSdpAnswer({"127.0.0.1", 20000, 7, 1}, *a);
  EXPECT_NE(sdp.find("m=audio 20000 RTP/AVP 8 96\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("a=rtpmap:8 PCMA/8000"), std::string::npos);
  EXPECT_NE(sdp.find("a=rtpmap:96 telephone-event/8000"), std::string::npos);
  EXPECT_NE(sdp.find("a=sendrecv"), std::string::npos);
}

}  // namespace
}  // namespace gosline::telephony
