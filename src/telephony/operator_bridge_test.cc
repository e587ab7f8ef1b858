// The parts of the B2BUA that need no network. Ringing, bridging, hold and
// the operator's media timeout run against real phones (sipp) in
// tests/telephony/b2bua_test.py (ctest -L sip).
#include "telephony/operator_bridge.h"

#include <gtest/gtest.h>

#include "telephony/offer_check.h"

namespace gosline::telephony {
namespace {

TEST(OperatorBridge, RingFailuresInTheCentresWords) {
  EXPECT_EQ(RingFailure(486), "busy");
  EXPECT_EQ(RingFailure(600), "busy");
  EXPECT_EQ(RingFailure(408), "no_response");
  EXPECT_EQ(RingFailure(480), "unavailable");
  EXPECT_EQ(RingFailure(404), "not_found");
  EXPECT_EQ(RingFailure(603), "rejected");
  EXPECT_EQ(RingFailure(487), "cancelled");
  EXPECT_EQ(RingFailure(503), "unreachable");
  EXPECT_EQ(RingFailure(500), "server_error");
  EXPECT_EQ(RingFailure(415), "rejected");
}

TEST(OperatorBridge, OurOfferToAnOperatorIsOneWeCanAnswerOurselves) {
  const std::string offer = RenderOperatorOffer("127.0.0.1", 20000, 42);
  EXPECT_NE(offer.find("o=gosline 42 1 IN IP4 127.0.0.1\r\n"), std::string::npos);
  OfferCheck check = CheckOffer("application/sdp", offer);
  ASSERT_FALSE(check.error) << check.error->warning;
  EXPECT_EQ(check.audio.law, G711Law::kAlaw);  // offered first
  EXPECT_EQ(check.audio.telephone_event_pt, 101);
  EXPECT_EQ(ntohs(check.remote.sin_port), 20000);
}

}  // namespace
}  // namespace gosline::telephony

namespace gosline::telephony {
namespace {

// R22: encrypted audio to operators' phones.
TEST(OperatorBridge, SrtpIsOfferedOnlyOverTlsAndRequiredMeansNoRingWithoutIt) {
  EXPECT_TRUE(IsTlsTarget("sip:ivanova@127.0.0.1:5090;transport=tls"));
  EXPECT_TRUE(IsTlsTarget("sips:ivanova@127.0.0.1:5091"));
  EXPECT_TRUE(IsTlsTarget("<sip:ivanova@127.0.0.1:5090;Transport=TLS>"));
  EXPECT_FALSE(IsTlsTarget("sip:ivanova@127.0.0.1:5090"));
  EXPECT_FALSE(IsTlsTarget("sip:ivanova@127.0.0.1:5090;transport=tcp"));

  const std::string udp = "sip:ivanova@127.0.0.1:5090", tls = udp + ";transport=tls";
  auto choose = [](SrtpMode m, const std::string& t, bool lab = false) {
    const OperatorSrtp o = ChooseOperatorSrtp(m, t, lab);
    return std::pair<bool, bool>{o.ring, o.offer};
  };
  EXPECT_EQ(choose(SrtpMode::kOff, tls), std::make_pair(true, false));
  EXPECT_EQ(choose(SrtpMode::kOffer, udp), std::make_pair(true, false));
  EXPECT_EQ(choose(SrtpMode::kOffer, tls), std::make_pair(true, true));
  EXPECT_EQ(choose(SrtpMode::kRequired, udp), std::make_pair(false, false));  // not rung
  EXPECT_EQ(choose(SrtpMode::kRequired, tls), std::make_pair(true, true));
  EXPECT_EQ(choose(SrtpMode::kRequired, udp, true), std::make_pair(true, true));
}

TEST(OperatorBridge, OurSrtpOfferCarriesOurKeyAndIsAnsweredWithIt) {
  const SdpCrypto ours = OfferSrtpCrypto();
  const std::string offer = RenderOperatorOffer("127.0.0.1", 20000, 42, ours);
  EXPECT_NE(offer.find("m=audio 20000 RTP/SAVP 8 0 101\r\n"), std::string::npos) << offer;
  EXPECT_NE(offer.find("a=crypto:" + RenderSdpCrypto(ours) + "\r\n"), std::string::npos) << offer;
  // Read back as the phone would: an SRTP offer over TLS with our key.
  OfferCheck check = CheckOffer("application/sdp", offer, SrtpPolicy{SrtpMode::kOffer, true, false});
  ASSERT_FALSE(check.error) << check.error->warning;
  ASSERT_TRUE(check.audio.srtp);
  EXPECT_EQ(check.audio.srtp->remote, ours.key);
}

}  // namespace
}  // namespace gosline::telephony
