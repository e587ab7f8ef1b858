#include "telephony/telephone_event_receiver.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

TEST(TelephoneEventReceiver, ReportsOnceAtEndDespiteRetransmittedEnds) {
  TelephoneEventReceiver r;
  EXPECT_FALSE(r.OnPacket(1000, {5, false, 160}));
  EXPECT_FALSE(r.OnPacket(1000, {5, false, 320}));
  EXPECT_EQ(r.OnPacket(1000, {5, true, 480}), '5');
  EXPECT_FALSE(r.OnPacket(1000, {5, true, 480}));
  EXPECT_FALSE(r.OnPacket(1000, {5, true, 480}));
  // The same key again is a new event with a new timestamp.
  EXPECT_EQ(r.OnPacket(3000, {5, true, 480}), '5');
  EXPECT_EQ(r.OnPacket(5000, {10, true, 480}), '*');
}

}  // namespace
}  // namespace gosline::telephony
