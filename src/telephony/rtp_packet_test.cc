#include "telephony/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace gosline::telephony {
namespace {

TEST(RtpPacket, HeaderRoundTrip) {
  RtpHeader h{true, 8, 65535, 0xdeadbeef, 0x01020304};
  std::vector<uint8_t> p(kRtpHeaderSize + 3, 0x55);
  WriteRtpHeader(h, p.data());
  auto v = ParseRtp(p);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->header.marker);
  EXPECT_EQ(v->header.payload_type, 8);
  EXPECT_EQ(v->header.sequence, 65535);
  EXPECT_EQ(v->header.timestamp, 0xdeadbeefu);
  EXPECT_EQ(v->header.ssrc, 0x01020304u);
  EXPECT_EQ(v->payload.size(), 3u);
}

TEST(RtpPacket, RejectsMalformed) {
  std::vector<uint8_t> short_packet(5, 0x80);
  EXPECT_FALSE(ParseRtp(short_packet));
  std::vector<uint8_t> bad_version(20, 0x40);
  EXPECT_FALSE(ParseRtp(bad_version));
  std::vector<uint8_t> too_many_csrc(14, 0);
  too_many_csrc[0] = 0x8f;
  EXPECT_FALSE(ParseRtp(too_many_csrc));
  std::vector<uint8_t> bad_padding(13, 0);
  bad_padding[0] = 0xa0;
  bad_padding[12] = 200;
  EXPECT_FALSE(ParseRtp(bad_padding));
}

TEST(RtpPacket, TelephoneEvent) {
  const uint8_t payload[] = {11, 0x8a, 0x03, 0x20};
  auto e = ParseTelephoneEvent(payload);
  ASSERT_TRUE(e);
  EXPECT_EQ(DtmfEventToChar(e->event), '#');
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->duration, 800);
}

}  // namespace
}  // namespace gosline::telephony
