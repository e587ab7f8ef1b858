#include "telephony/sdp_offer.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

constexpr const char* kOffer =
    "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\na=sendrecv\r\n";

TEST(SdpOffer, ParsesAddressPortAndFormatsInOrder) {
  Result<SdpAudioOffer> o = ParseSdpAudioOffer(kOffer);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->address, "10.0.0.5");
  EXPECT_EQ(o->port, 40000);
  ASSERT_EQ(o->formats.size(), 3u);
  EXPECT_EQ(o->formats[0].payload_type, 0);
  EXPECT_EQ(o->formats[0].encoding, "PCMU");
  EXPECT_EQ(o->formats[1].encoding, "PCMA");
  EXPECT_EQ(o->formats[2].encoding, "telephone-event");
  EXPECT_EQ(o->formats[2].payload_type, 101);
  EXPECT_EQ(o->direction, MediaDirection::kSendRecv);
}

TEST(SdpOffer, ReadsHoldDirection) {
  std::string s = kOffer;
  s.replace(s.find("a=sendrecv"), 10, "a=sendonly");
  Result<SdpAudioOffer> o = ParseSdpAudioOffer(s);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->direction, MediaDirection::kSendOnly);
}

TEST(SdpOffer, MalformedIsInvalidArgument) {
  EXPECT_EQ(ParseSdpAudioOffer("garbage\r\n").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseSdpAudioOffer("").status().code(), Status::Code::kInvalidArgument);
  std::string truncated = std::string(kOffer).substr(0, 60);
  EXPECT_FALSE(ParseSdpAudioOffer(truncated).ok());
}

// Found by fuzz/sdp_offer_fuzzer: Sofia-SIP asked for 2 GiB on these m= lines.
TEST(SdpOffer, MediaLinesOutsideTheGrammarAreRefusedBeforeTheLibrary) {
  for (const char* bad : {"v=0\r\nm=audio 1 TCP :\r\n", "v=0\r\nm=audio 1P6 ::1\r\n",
                          "v=0\r\nm=video 1 udp \"\r\n", "v=0\r\nm=audio 1 RTP/AVP 0 [8]\r\n",
                          "v=0\rm=audio 1 TCP :\r\n", "v=0\r\nm=audio 0 0\t\t\r\n",
                          "v=0\r\nm=audio 4000 RTP/AVP\t8\r\n"}) {
    EXPECT_EQ(ParseSdpAudioOffer(bad).status().code(), Status::Code::kInvalidArgument) << bad;
  }
  // Port counts and several spaces stay valid.
  const std::string ok =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 4000/2  RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n";
  EXPECT_TRUE(ParseSdpAudioOffer(ok).ok()) << ParseSdpAudioOffer(ok).status().ToString();
}

TEST(SdpOffer, NoAudioIsNotFound) {
  const char* video = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
                      "m=video 40000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
  EXPECT_EQ(ParseSdpAudioOffer(video).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace gosline::telephony

namespace gosline::telephony {
namespace {

// R22: an SRTP offer keeps its usable crypto lines in order, and says why it
// skipped the others.
TEST(SdpOffer, SavpOfferCarriesItsCryptoLines) {
  const std::string key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
  const std::string sdp =
      "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
      "m=audio 40000 RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n"
      "a=crypto:1 AEAD_AES_256_GCM inline:" + key + "\r\n"
      "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + key + "\r\n"
      "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" + key + "|2^31\r\n"
      "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:" + key + "\r\n";
  Result<SdpAudioOffer> offer = ParseSdpAudioOffer(sdp);
  ASSERT_TRUE(offer.ok()) << offer.status().ToString();
  EXPECT_TRUE(offer->secure);
  ASSERT_EQ(offer->crypto.size(), 2u);
  EXPECT_EQ(offer->crypto[0].tag, 2u);
  EXPECT_EQ(offer->crypto[1].tag, 4u);
  EXPECT_NE(offer->crypto_skipped.find("lifetime"), std::string::npos) << offer->crypto_skipped;

  // Crypto lines on a plain RTP stream mean nothing and are not read.
  std::string plain = sdp;
  plain.replace(plain.find("RTP/SAVP"), 8, "RTP/AVP");
  Result<SdpAudioOffer> avp = ParseSdpAudioOffer(plain);
  ASSERT_TRUE(avp.ok());
  EXPECT_FALSE(avp->secure);
  EXPECT_TRUE(avp->crypto.empty());
}

}  // namespace
}  // namespace gosline::telephony
