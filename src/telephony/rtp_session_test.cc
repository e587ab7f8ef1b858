#include "telephony/rtp_session.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

// A real UDP pair on loopback: the peer sends with chosen sequence numbers.
class RtpSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int* fd : {&ours_, &theirs_}) {
      *fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ASSERT_EQ(bind(*fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    }
    socklen_t len = sizeof our_addr_;
    getsockname(ours_, reinterpret_cast<sockaddr*>(&our_addr_), &len);
  }
  void TearDown() override {
    close(ours_);
    close(theirs_);
  }
  void Send(uint16_t seq, uint32_t ssrc = 7) {
    uint8_t packet[kRtpHeaderSize + 160] = {};
    RtpHeader h;
    h.payload_type = 8;
    h.sequence = seq;
    h.timestamp = seq * 160u;
    h.ssrc = ssrc;
    WriteRtpHeader(h, packet);
    sendto(theirs_, packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&our_addr_),
           sizeof our_addr_);
  }
  void ReadAll(RtpSession& s, uint64_t want) {
    RtpSession::Received sink;
    sink.on_audio = [](std::span<const uint8_t>) {};
    sink.on_event = [](uint32_t, const TelephoneEvent&) {};
    for (int i = 0; i < 200 && s.packets_received() < want; ++i) {
      s.ReadAll(sink);
      usleep(1000);
    }
  }
  int ours_ = -1, theirs_ = -1;
  sockaddr_in our_addr_{};
};

TEST_F(RtpSessionTest, CountsSequenceGapsAsLossAcrossWrap) {
  RtpSession s(ours_, 1, our_addr_, NegotiatedAudio{});
  for (uint16_t seq : {65533, 65534, 1, 2, 5}) Send(seq);  // 65535, 0, 3, 4 lost
  ReadAll(s, 5);
  EXPECT_EQ(s.packets_received(), 5u);
  EXPECT_EQ(s.packets_lost(), 4u);
}

TEST_F(RtpSessionTest, LateOrDuplicatePacketsAndNewStreamsAreNotLoss) {
  RtpSession s(ours_, 1, our_addr_, NegotiatedAudio{});
  for (uint16_t seq : {10, 11, 11, 9, 12}) Send(seq);
  Send(500, 8);  // another SSRC: a new stream, no gap
  Send(501, 8);
  ReadAll(s, 7);
  EXPECT_EQ(s.packets_received(), 7u);
  EXPECT_EQ(s.packets_lost(), 0u);
}

}  // namespace
}  // namespace gosline::telephony
