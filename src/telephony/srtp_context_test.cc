#include "telephony/srtp_context.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "telephony/rtp_packet.h"
#include "telephony/prompt.h"
#include "telephony/rtp_session.h"

namespace gosline::telephony {
namespace {

SrtpKeySalt Key(uint8_t seed) {
  SrtpKeySalt k;
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(seed + i * 7);
  return k;
}

std::vector<uint8_t> RtpPacket(uint16_t seq, uint8_t fill) {
  std::vector<uint8_t> p(kRtpHeaderSize + 160 + kSrtpMaxTrailer, 0);
  RtpHeader h;
  h.payload_type = 8;
  h.sequence = seq;
  h.timestamp = seq * 160u;
  h.ssrc = 0x1234;
  WriteRtpHeader(h, p.data());
  std::fill(p.begin() + kRtpHeaderSize, p.begin() + kRtpHeaderSize + 160, fill);
  return p;
}

struct Pair {
  std::unique_ptr<SrtpContext> alice, bob;
};
Pair MakePair(SrtpSuite suite) {
  auto a = SrtpContext::Create(suite, Key(1), Key(2));
  auto b = SrtpContext::Create(suite, Key(2), Key(1));
  EXPECT_TRUE(a.ok() && b.ok());
  return {std::move(*a), std::move(*b)};
}

TEST(SrtpContext, RoundTripHidesThePayloadAndRestoresIt) {
  for (SrtpSuite suite : {SrtpSuite::kAesCm128HmacSha1_80, SrtpSuite::kAesCm128HmacSha1_32}) {
    Pair p = MakePair(suite);
    std::vector<uint8_t> packet = RtpPacket(100, 0xd5);  // A-law silence
    const std::vector<uint8_t> clear(packet.begin(), packet.begin() + kRtpHeaderSize + 160);
    size_t size = clear.size();
    ASSERT_TRUE(p.alice->Protect(packet.data(), &size, packet.size()));
    EXPECT_EQ(size, clear.size() + (suite == SrtpSuite::kAesCm128HmacSha1_80 ? 10u : 4u));
    // The header stays readable, the payload does not.
    EXPECT_TRUE(std::equal(clear.begin(), clear.begin() + kRtpHeaderSize, packet.begin()));
    EXPECT_FALSE(std::equal(clear.begin() + kRtpHeaderSize, clear.end(),
                            packet.begin() + kRtpHeaderSize));
    ASSERT_EQ(p.bob->Unprotect(packet.data(), &size), SrtpContext::Verdict::kOk);
    ASSERT_EQ(size, clear.size());
    EXPECT_TRUE(std::equal(clear.begin(), clear.end(), packet.begin()));
  }
}

TEST(SrtpContext, TamperedPacketFailsAuthentication) {
  Pair p = MakePair(SrtpSuite::kAesCm128HmacSha1_80);
  for (size_t flip : {size_t{2}, size_t{kRtpHeaderSize + 5}, size_t{kRtpHeaderSize + 165}}) {
    std::vector<uint8_t> packet = RtpPacket(static_cast<uint16_t>(200 + flip), 0x55);
    size_t size = kRtpHeaderSize + 160;
    ASSERT_TRUE(p.alice->Protect(packet.data(), &size, packet.size()));
    packet[flip] ^= 0x01;  // a header byte, a payload byte, a tag byte
    EXPECT_EQ(p.bob->Unprotect(packet.data(), &size), SrtpContext::Verdict::kAuthFailed) << flip;
  }
}

TEST(SrtpContext, WrongKeyFailsAuthentication) {
  auto alice = SrtpContext::Create(SrtpSuite::kAesCm128HmacSha1_80, Key(1), Key(2));
  auto mallory = SrtpContext::Create(SrtpSuite::kAesCm128HmacSha1_80, Key(9), Key(1));
  ASSERT_TRUE(alice.ok() && mallory.ok());
  std::vector<uint8_t> packet = RtpPacket(1, 0x11);
  size_t size = kRtpHeaderSize + 160;
  ASSERT_TRUE((*mallory)->Protect(packet.data(), &size, packet.size()));
  EXPECT_EQ((*alice)->Unprotect(packet.data(), &size), SrtpContext::Verdict::kAuthFailed);
}

TEST(SrtpContext, ReplayedPacketIsRefused) {
  Pair p = MakePair(SrtpSuite::kAesCm128HmacSha1_80);
  std::vector<uint8_t> packet = RtpPacket(300, 0x22);
  size_t size = kRtpHeaderSize + 160;
  ASSERT_TRUE(p.alice->Protect(packet.data(), &size, packet.size()));
  const std::vector<uint8_t> wire(packet.begin(), packet.begin() + size);
  std::vector<uint8_t> first = wire, second = wire;
  size_t n1 = wire.size(), n2 = wire.size();
  EXPECT_EQ(p.bob->Unprotect(first.data(), &n1), SrtpContext::Verdict::kOk);
  EXPECT_EQ(p.bob->Unprotect(second.data(), &n2), SrtpContext::Verdict::kReplayed);
}

TEST(SrtpContext, ShortOrGarbagePacketsAreRefused) {
  Pair p = MakePair(SrtpSuite::kAesCm128HmacSha1_80);
  uint8_t tiny[4] = {0x80, 8, 0, 1};
  size_t size = sizeof tiny;
  EXPECT_NE(p.bob->Unprotect(tiny, &size), SrtpContext::Verdict::kOk);
  std::vector<uint8_t> junk(40, 0x80);
  size = junk.size();
  EXPECT_NE(p.bob->Unprotect(junk.data(), &size), SrtpContext::Verdict::kOk);
}

// Two RtpSessions on real loopback sockets with mirrored keys: what one sends
// the other plays; on the wire the G.711 bytes do not appear; a tampered or
// replayed datagram is dropped and counted, never played.
class SrtpSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int* fd : {&a_, &b_, &tap_}) {
      *fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ASSERT_EQ(bind(*fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    }
  }
  void TearDown() override {
    close(a_);
    close(b_);
    close(tap_);
  }
  static sockaddr_in AddressOf(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return addr;
  }
  static NegotiatedAudio Audio(const SrtpKeySalt& local, const SrtpKeySalt& remote) {
    NegotiatedAudio audio;
    audio.srtp = SrtpKeys{SrtpSuite::kAesCm128HmacSha1_80, 1, local, remote};
    return audio;
  }
  // Reads b until `want` frames played or 200 attempts (1 ms apart) passed.
  int ReadAtB(RtpSession& b, std::vector<std::vector<uint8_t>>& played, size_t want) {
    RtpSession::Received sink;
    sink.on_audio = [&](std::span<const uint8_t> coded) { played.emplace_back(coded.begin(), coded.end()); };
    sink.on_event = [](uint32_t, const TelephoneEvent&) {};
    int valid = 0;
    for (int i = 0; i < 200 && played.size() < want; ++i) {
      valid += b.ReadAll(sink);
      usleep(1000);
    }
    return valid;
  }
  // Waits for one datagram on `fd` (bounded).
  static std::vector<uint8_t> Receive(int fd) {
    uint8_t buf[2048];
    for (int i = 0; i < 200; ++i) {
      const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) return std::vector<uint8_t>(buf, buf + n);
      usleep(1000);
    }
    return {};
  }
  int a_ = -1, b_ = -1, tap_ = -1;
};

TEST_F(SrtpSessionTest, RoundTripTamperAndReplay) {
  // A sends to the tap first (standing for the wire), then we forward by hand.
  RtpSession a(a_, 0xa, AddressOf(tap_), Audio(Key(1), Key(2)));
  RtpSession b(b_, 0xb, AddressOf(a_), Audio(Key(2), Key(1)));
  ASSERT_TRUE(a.encrypted());
  uint8_t frame[kFrameSamples];
  for (size_t i = 0; i < kFrameSamples; ++i) frame[i] = static_cast<uint8_t>(0x40 + i % 64);
  const std::vector<uint8_t> clear(frame, frame + kFrameSamples);
  const sockaddr_in to_b = AddressOf(b_);
  auto forward = [&](const std::vector<uint8_t>& d) {
    // From a's socket, so b's source filter sees the peer's address.
    sendto(a_, d.data(), d.size(), 0, reinterpret_cast<const sockaddr*>(&to_b), sizeof to_b);
  };

  a.SendFrame(frame);
  const std::vector<uint8_t> wire = Receive(tap_);
  ASSERT_EQ(wire.size(), kRtpHeaderSize + kFrameSamples + 10);
  EXPECT_EQ(std::search(wire.begin(), wire.end(), clear.begin(), clear.begin() + 16), wire.end())
      << "clear G.711 on the wire";
  forward(wire);
  std::vector<std::vector<uint8_t>> played;
  EXPECT_EQ(ReadAtB(b, played, 1), 1);
  ASSERT_EQ(played.size(), 1u);
  EXPECT_EQ(played[0], clear);

  forward(wire);  // replay
  std::vector<uint8_t> tampered = wire;
  a.SendFrame(frame);
  tampered = Receive(tap_);
  ASSERT_FALSE(tampered.empty());
  tampered[kRtpHeaderSize + 3] ^= 0x80;
  forward(tampered);
  played.clear();
  for (int i = 0; i < 200 && b.packets_dropped() < 2; ++i) {
    ReadAtB(b, played, 1);
  }
  EXPECT_TRUE(played.empty());
  EXPECT_EQ(b.packets_replayed(), 1u);
  EXPECT_EQ(b.packets_unauthenticated(), 1u);
  EXPECT_EQ(b.packets_dropped(), 2u);
  EXPECT_EQ(b.packets_received(), 1u);
}

TEST_F(SrtpSessionTest, PlainRtpIsRefusedOnAnEncryptedLeg) {
  RtpSession b(b_, 0xb, AddressOf(a_), Audio(Key(2), Key(1)));
  RtpSession plain(a_, 0xa, AddressOf(b_), NegotiatedAudio{});
  uint8_t frame[kFrameSamples] = {};
  plain.SendFrame(frame);
  std::vector<std::vector<uint8_t>> played;
  for (int i = 0; i < 200 && b.packets_dropped() == 0; ++i) ReadAtB(b, played, 1);
  EXPECT_TRUE(played.empty());
  EXPECT_EQ(b.packets_unauthenticated(), 1u);
}

}  // namespace
}  // namespace gosline::telephony
