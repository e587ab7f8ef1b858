#include "telephony/telephone_event_receiver.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

TEST(TelephoneEventReceiver, ReportsOnceAtTheFirstPacketDespiteUpdatesAndRetransmittedEnds) {
  TelephoneEventReceiver r;
  EXPECT_EQ(r.OnPacket(1000, {5, false, 160}), '5');
  EXPECT_FALSE(r.OnPacket(1000, {5, false, 320}));
  EXPECT_FALSE(r.OnPacket(1000, {5, true, 480}));
  EXPECT_FALSE(r.OnPacket(1000, {5, true, 480}));
  EXPECT_FALSE(r.OnPacket(1000, {5, true, 480}));
  // The same key again is a new event with a new timestamp.
  EXPECT_EQ(r.OnPacket(3000, {5, true, 480}), '5');
  EXPECT_EQ(r.OnPacket(5000, {10, true, 480}), '*');
}

TEST(TelephoneEventReceiver, AStartLostOnTheWayIsReportedAtItsEnd) {
  TelephoneEventReceiver r;
  EXPECT_EQ(r.OnPacket(7000, {9, true, 800}), '9');
  EXPECT_FALSE(r.OnPacket(7000, {9, true, 800}));
}

TEST(TelephoneEventReceiver, AKeyHeldUntilTheNextOneIsReportedWhenPressed) {
  // baresip's console: '1' stays down until '7' is pressed 600 ms later.
  TelephoneEventReceiver r;
  EXPECT_EQ(r.OnPacket(57159, {1, false, 160}), '1');
  for (uint16_t d = 320; d <= 4800; d += 160) EXPECT_FALSE(r.OnPacket(57159, {1, false, d}));
  EXPECT_FALSE(r.OnPacket(57159, {1, true, 4800}));
  EXPECT_EQ(r.OnPacket(62439, {7, false, 160}), '7');
}

TEST(TelephoneEventReceiver, ALongPressInSeveralSegmentsIsOneKey) {
  TelephoneEventReceiver r;
  EXPECT_EQ(r.OnPacket(100, {0, false, 65535}), '0');
  EXPECT_FALSE(r.OnPacket(100 + 65535, {0, false, 160}));   // the next segment
  EXPECT_FALSE(r.OnPacket(100 + 65535, {0, true, 2000}));
  EXPECT_EQ(r.OnPacket(200000, {0, false, 160}), '0');      // pressed again
}

TEST(TelephoneEventReceiver, NonDtmfEventsAreIgnored) {
  TelephoneEventReceiver r;
  EXPECT_FALSE(r.OnPacket(100, {32, false, 160}));  // a fax tone (ANS), not a key
  EXPECT_EQ(r.OnPacket(900, {11, false, 160}), '#');
}

}  // namespace
}  // namespace gosline::telephony
