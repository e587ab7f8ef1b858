#include "telephony/dtmf_relay.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

TEST(DtmfRelay, ParsesSignal) {
  EXPECT_EQ(ParseDtmfRelayBody("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"), '5');
  EXPECT_EQ(ParseDtmfRelayBody("Application/DTMF-Relay", "Signal= #\r\n"), '#');
  EXPECT_EQ(ParseDtmfRelayBody("application/dtmf-relay", "Duration=100\r\nsignal=*"), '*');
  EXPECT_EQ(ParseDtmfRelayBody("application/dtmf", "7"), '7');
}

TEST(DtmfRelay, RejectsOthers) {
  EXPECT_FALSE(ParseDtmfRelayBody("application/dtmf-relay", "Signal=55"));
  EXPECT_FALSE(ParseDtmfRelayBody("application/dtmf-relay", "Signal=x"));
  EXPECT_FALSE(ParseDtmfRelayBody("application/dtmf-relay", ""));
  EXPECT_FALSE(ParseDtmfRelayBody("text/plain", "Signal=5"));
}

}  // namespace
}  // namespace gosline::telephony
