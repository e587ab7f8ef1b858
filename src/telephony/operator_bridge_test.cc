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
