#include "telephony/offer_check.h"

#include <arpa/inet.h>

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

constexpr const char* kSdp = "application/sdp";

// `formats`: payload types; 101 is telephone-event.
std::string Offer(const std::string& address, const std::string& formats) {
  const bool keys = formats.find("101") != std::string::npos;
  return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address +
         "\r\nt=0 0\r\nm=audio 40000 RTP/AVP " + formats + "\r\n" +
         (keys ? "a=rtpmap:101 telephone-event/8000\r\n" : "") + "a=sendrecv\r\n";
}

TEST(OfferCheck, AnswerableOfferGivesTheAudioAndWhereToSendIt) {
  OfferCheck c = CheckOffer(kSdp, Offer("10.0.0.5", "0 101"));
  ASSERT_FALSE(c.error) << c.error->warning;
  EXPECT_EQ(c.audio.law, G711Law::kUlaw);
  EXPECT_EQ(c.audio.telephone_event_pt, 101);
  EXPECT_EQ(c.remote.sin_family, AF_INET);
  EXPECT_EQ(ntohs(c.remote.sin_port), 40000);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &c.remote.sin_addr, text, sizeof text);
  EXPECT_STREQ(text, "10.0.0.5");
}

TEST(OfferCheck, ContentTypeIsComparedWithoutCase) {
  EXPECT_FALSE(CheckOffer("Application/SDP", Offer("10.0.0.5", "8")).error);
}

TEST(OfferCheck, EachUnanswerableOfferHasItsSipError) {
  struct Case {
    std::string content_type, body;
    int status;
    CallEndReason why;
  };
  const Case cases[] = {
      {kSdp, "", 488, CallEndReason::kNoCommonCodec},                        // no offer at all
      {"text/plain", Offer("10.0.0.5", "8"), 415, CallEndReason::kBadRequest},
      {kSdp, "this is not SDP", 400, CallEndReason::kBadRequest},
      {kSdp, Offer("10.0.0.5", "18"), 488, CallEndReason::kNoCommonCodec},  // G.729 only
      {kSdp, Offer("phone.example", "8"), 488, CallEndReason::kNoCommonCodec},
  };
  for (const Case& c : cases) {
    OfferCheck check = CheckOffer(c.content_type, c.body);
    ASSERT_TRUE(check.error) << c.body;
    EXPECT_EQ(check.error->status, c.status) << c.body;
    EXPECT_EQ(check.error->reject_reason, c.why) << c.body;
    EXPECT_FALSE(check.error->warning.empty()) << c.body;
  }
}

}  // namespace
}  // namespace gosline::telephony
