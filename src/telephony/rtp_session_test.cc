#include "telephony/rtp_session.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace gosline::telephony {
namespace {

// Real UDP sockets on loopback: the peer sends with chosen sequence numbers
// and SSRCs; a stranger on another port sends too.
class RtpSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int* fd : {&ours_, &theirs_, &stranger_}) {
      *fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ASSERT_EQ(bind(*fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    }
    our_addr_ = AddressOf(ours_);
    their_addr_ = AddressOf(theirs_);
    stranger_addr_ = AddressOf(stranger_);
  }
  void TearDown() override {
    close(ours_);
    close(theirs_);
    close(stranger_);
  }
  static sockaddr_in AddressOf(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return a;
  }
  void SendFrom(int fd, uint16_t seq, uint32_t ssrc = 7, uint8_t payload_type = 8) {
    uint8_t packet[kRtpHeaderSize + 160] = {};
    RtpHeader h;
    h.payload_type = payload_type;
    h.sequence = seq;
    h.timestamp = seq * 160u;
    h.ssrc = ssrc;
    WriteRtpHeader(h, packet);
    size_t size = sizeof packet;
    if (payload_type == kEventPt) {
      // RFC 4733: digit 1, end bit, duration 800.
      const uint8_t event[4] = {1, 0x80, 0x03, 0x20};
      std::copy(event, event + 4, packet + kRtpHeaderSize);
      size = kRtpHeaderSize + 4;
    }
    sendto(fd, packet, size, 0, reinterpret_cast<sockaddr*>(&our_addr_), sizeof our_addr_);
  }
  void Send(uint16_t seq, uint32_t ssrc = 7) { SendFrom(theirs_, seq, ssrc); }
  // Reads until `received` packets were accepted and `dropped` refused (or a
  // bounded number of tries, for a test that then fails on the counts).
  void ReadAll(RtpSession& s, uint64_t received, uint64_t dropped = 0) {
    RtpSession::Received sink;
    sink.on_audio = [this](std::span<const uint8_t>) { ++audio_frames_; };
    sink.on_event = [this](uint32_t, const TelephoneEvent& ev) { events_.push_back(ev.event); };
    for (int i = 0; i < 200 && (s.packets_received() < received || s.packets_dropped() < dropped);
         ++i) {
      s.ReadAll(sink);
      usleep(1000);
    }
    s.ReadAll(sink);  // anything beyond what the test waited for shows in the counts
  }
  static constexpr uint8_t kEventPt = 101;
  int ours_ = -1, theirs_ = -1, stranger_ = -1;
  sockaddr_in our_addr_{}, their_addr_{}, stranger_addr_{};
  int audio_frames_ = 0;
  std::vector<uint8_t> events_;
};

TEST_F(RtpSessionTest, CountsSequenceGapsAsLossAcrossWrap) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  for (uint16_t seq : {65533, 65534, 1, 2, 5}) Send(seq);  // 65535, 0, 3, 4 lost
  ReadAll(s, 5);
  EXPECT_EQ(s.packets_received(), 5u);
  EXPECT_EQ(s.packets_lost(), 4u);
}

TEST_F(RtpSessionTest, LateOrDuplicatePacketsAndNewStreamsAreNotLoss) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  for (uint16_t seq : {10, 11, 11, 9, 12}) Send(seq);
  Send(500, 8);  // another SSRC: a new stream, no gap
  Send(501, 8);
  ReadAll(s, 7);
  EXPECT_EQ(s.packets_received(), 7u);
  EXPECT_EQ(s.packets_lost(), 0u);
}

TEST_F(RtpSessionTest, OnceMediaIsAcceptedOtherSourcesAreIgnored) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  Send(1);
  ReadAll(s, 1);
  for (uint16_t seq = 2; seq < 7; ++seq) SendFrom(stranger_, seq);  // same SSRC, even
  Send(2);
  ReadAll(s, 2, 5);
  EXPECT_EQ(s.packets_received(), 2u);
  EXPECT_EQ(audio_frames_, 2);
  EXPECT_EQ(s.packets_dropped(), 5u);
  EXPECT_EQ(s.packets_lost(), 0u);
}

TEST_F(RtpSessionTest, PeerBehindNatIsLearntFromItsFirstPacketThenOnlyItIsHeard) {
  sockaddr_in private_address = their_addr_;  // what a phone behind NAT puts in its SDP
  inet_pton(AF_INET, "192.168.1.20", &private_address.sin_addr);
  RtpSession s(ours_, 1, private_address, NegotiatedAudio{});
  Send(1);
  Send(2);
  SendFrom(stranger_, 3);
  Send(3);
  ReadAll(s, 3, 1);
  EXPECT_EQ(s.packets_received(), 3u);
  EXPECT_EQ(audio_frames_, 3);
  EXPECT_EQ(s.packets_dropped(), 1u);
}

TEST_F(RtpSessionTest, KeyPressFromAForeignSourceIsNotDelivered) {
  NegotiatedAudio audio;
  audio.telephone_event_pt = kEventPt;
  RtpSession s(ours_, 1, their_addr_, audio);
  Send(1);
  ReadAll(s, 1);
  SendFrom(stranger_, 2, 7, kEventPt);  // "1": would turn waiting into a callback request
  SendFrom(stranger_, 3, 7, kEventPt);
  Send(2);
  ReadAll(s, 2, 2);
  EXPECT_TRUE(events_.empty());
  EXPECT_EQ(s.packets_dropped(), 2u);
  SendFrom(theirs_, 3, 7, kEventPt);  // the caller's own key still counts
  ReadAll(s, 3, 2);
  EXPECT_EQ(events_, std::vector<uint8_t>{1});
}

TEST_F(RtpSessionTest, SsrcChangeIsFollowedFromThePeerOnly) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  Send(10, 7);
  Send(11, 7);
  Send(500, 9);                   // the phone restarted its stream
  SendFrom(stranger_, 900, 11);   // another stream from elsewhere
  SendFrom(stranger_, 501, 9);    // or the peer's new SSRC, from elsewhere
  Send(501, 9);
  ReadAll(s, 4, 2);
  EXPECT_EQ(s.packets_received(), 4u);
  EXPECT_EQ(s.packets_dropped(), 2u);
  EXPECT_EQ(s.packets_lost(), 0u);
}

TEST_F(RtpSessionTest, TheSdpAddressTakesOverFromALatchedSource) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  SendFrom(stranger_, 1, 66);  // first: latched while nothing was heard
  Send(1);                     // the signalled peer: from now on only it
  SendFrom(stranger_, 2, 66);
  Send(2);
  ReadAll(s, 3, 1);
  EXPECT_EQ(s.packets_received(), 3u);
  EXPECT_EQ(s.packets_dropped(), 1u);
}

TEST_F(RtpSessionTest, AReInviteMovesTheExpectedAddress) {
  RtpSession s(ours_, 1, their_addr_, NegotiatedAudio{});
  Send(1);
  ReadAll(s, 1);
  s.Update(stranger_addr_, NegotiatedAudio{});  // the peer moved (new SDP)
  SendFrom(stranger_, 2);
  Send(3);  // the old address is a stranger now
  SendFrom(stranger_, 4);
  ReadAll(s, 3, 1);
  EXPECT_EQ(s.packets_received(), 3u);
  EXPECT_EQ(s.packets_dropped(), 1u);
  s.Update(stranger_addr_, NegotiatedAudio{});  // same SDP again: nothing is re-learnt
  Send(5);
  ReadAll(s, 3, 2);
  EXPECT_EQ(s.packets_received(), 3u);
  EXPECT_EQ(s.packets_dropped(), 2u);
}

}  // namespace
}  // namespace gosline::telephony
