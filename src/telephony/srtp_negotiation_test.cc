#include "telephony/srtp_negotiation.h"

#include <gtest/gtest.h>

#include <string>

#include "telephony/offer_check.h"

namespace gosline::telephony {
namespace {

constexpr const char* kSdp = "application/sdp";
constexpr const char* kKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

std::string Offer(const std::string& proto, const std::string& crypto_lines) {
  return "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
         "m=audio 40000 " + proto + " 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n" + crypto_lines + "a=sendrecv\r\n";
}
std::string Crypto(const std::string& tag, const std::string& suite, const std::string& tail = "") {
  return "a=crypto:" + tag + " " + suite + " inline:" + kKey + tail + "\r\n";
}

const SrtpPolicy kOfferOverTls{SrtpMode::kOffer, true, false};

TEST(SrtpNegotiation, SavpOverTlsIsAnsweredWithOurOwnFreshKey) {
  OfferCheck c = CheckOffer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                            kOfferOverTls);
  ASSERT_FALSE(c.error) << c.error->warning;
  ASSERT_TRUE(c.audio.srtp);
  EXPECT_EQ(c.audio.srtp->suite, SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_EQ(c.audio.srtp->tag, 1u);
  Result<SdpCrypto> theirs = ParseSdpCrypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(c.audio.srtp->remote, theirs->key);
  EXPECT_NE(c.audio.srtp->local, theirs->key);  // never echo the caller's key
  OfferCheck again = CheckOffer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                                kOfferOverTls);
  ASSERT_TRUE(again.audio.srtp);
  EXPECT_NE(again.audio.srtp->local, c.audio.srtp->local);  // fresh per call
}

TEST(SrtpNegotiation, UnusableLinesAreSkippedForTheNextOne) {
  OfferCheck c = CheckOffer(kSdp,
                            Offer("RTP/SAVP", Crypto("1", "AEAD_AES_256_GCM") +
                                                  Crypto("2", "AES_CM_128_HMAC_SHA1_80", "|2^20") +
                                                  Crypto("3", "AES_CM_128_HMAC_SHA1_32")),
                            kOfferOverTls);
  ASSERT_FALSE(c.error) << c.error->warning;
  ASSERT_TRUE(c.audio.srtp);
  EXPECT_EQ(c.audio.srtp->tag, 3u);
  EXPECT_EQ(c.audio.srtp->suite, SrtpSuite::kAesCm128HmacSha1_32);
}

TEST(SrtpNegotiation, EachRefusalIs488WithAReason) {
  struct Case {
    std::string body;
    SrtpPolicy policy;
    std::string says;
  };
  const std::string savp = Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80"));
  for (const Case& k : std::vector<Case>{
           {savp, SrtpPolicy{SrtpMode::kOffer, false, false}, "SIP/TLS"},
           {savp, SrtpPolicy{SrtpMode::kRequired, false, false}, "SIP/TLS"},
           {savp, SrtpPolicy{SrtpMode::kOff, true, false}, "turned off"},
           {Offer("RTP/AVP", ""), SrtpPolicy{SrtpMode::kRequired, true, false}, "requires"},
           {Offer("RTP/SAVP", ""), kOfferOverTls, "no usable a=crypto"},
           {Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80", "|1:4")), kOfferOverTls,
            "MKI"},
       }) {
    OfferCheck c = CheckOffer(kSdp, k.body, k.policy);
    ASSERT_TRUE(c.error) << k.says;
    EXPECT_EQ(c.error->status, 488);
    EXPECT_NE(c.error->reason.find(k.says), std::string::npos) << c.error->reason;
    EXPECT_EQ(c.error->warning, c.error->reason);
  }
}

TEST(SrtpNegotiation, PlainOfferStaysPlainUnlessRequired) {
  OfferCheck c = CheckOffer(kSdp, Offer("RTP/AVP", ""), kOfferOverTls);
  ASSERT_FALSE(c.error);
  EXPECT_FALSE(c.audio.srtp);
  // The lab switch lets SAVP through over UDP.
  OfferCheck lab = CheckOffer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                              SrtpPolicy{SrtpMode::kOffer, false, true});
  ASSERT_FALSE(lab.error);
  EXPECT_TRUE(lab.audio.srtp);
}

TEST(SrtpNegotiation, ReofferKeepsOurKeyWhenTheSuiteStays) {
  OfferCheck first = CheckOffer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                                kOfferOverTls);
  ASSERT_TRUE(first.audio.srtp);
  OfferCheck again = CheckOffer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                                kOfferOverTls, first.audio.srtp);
  ASSERT_TRUE(again.audio.srtp);
  EXPECT_EQ(again.audio.srtp->local, first.audio.srtp->local);
}

TEST(SrtpNegotiation, AnswerMustMatchOurOffer) {
  const SdpCrypto ours = OfferSrtpCrypto();
  OfferCheck ok = CheckAnswer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")), ours);
  ASSERT_FALSE(ok.error) << ok.error->warning;
  ASSERT_TRUE(ok.audio.srtp);
  EXPECT_EQ(ok.audio.srtp->local, ours.key);
  EXPECT_TRUE(CheckAnswer(kSdp, Offer("RTP/AVP", ""), ours).error);  // plain answer to SRTP
  EXPECT_TRUE(CheckAnswer(kSdp, Offer("RTP/SAVP", Crypto("2", "AES_CM_128_HMAC_SHA1_80")), ours).error);
  EXPECT_TRUE(CheckAnswer(kSdp, Offer("RTP/SAVP", Crypto("1", "AES_CM_128_HMAC_SHA1_80")),
                          std::nullopt).error);  // SRTP answer to a plain offer
  EXPECT_FALSE(CheckAnswer(kSdp, Offer("RTP/AVP", ""), std::nullopt).error);
}

TEST(SrtpNegotiation, ModeNames) {
  EXPECT_EQ(SrtpModeFromName("off"), SrtpMode::kOff);
  EXPECT_EQ(SrtpModeFromName("offer"), SrtpMode::kOffer);
  EXPECT_EQ(SrtpModeFromName("required"), SrtpMode::kRequired);
  EXPECT_FALSE(SrtpModeFromName("yes"));
  EXPECT_STREQ(SrtpModeName(SrtpMode::kRequired), "required");
}

}  // namespace
}  // namespace gosline::telephony
