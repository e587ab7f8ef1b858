// Which datagrams on a call's RTP socket are the peer's media (R22). Only the
// address and port the SDP gave, or, for a peer behind NAT whose packets come
// from its public mapping instead, the first source heard while nothing has
// been accepted yet (symmetric-RTP latching, learnt once). Everything else is
// dropped and counted: a stranger who finds the port can neither put audio
// into the call and its recording nor press keys in the caller's name.
//
// The peer's SSRC is locked to the source in use: a new SSRC is a new stream
// only when it comes from that source (a phone restarting its stream, or the
// SDP address taking over from a latched one); from any other source the
// packet is dropped here before its SSRC is looked at.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>

namespace gosline::telephony {

class RtpSourceFilter {
 public:
  explicit RtpSourceFilter(const sockaddr_in& signalled);

  // The SDP changed (re-INVITE, late offer): the expected address follows it.
  // A new address starts a new learning; the same address changes nothing.
  void Resignal(const sockaddr_in& signalled);

  // True when a valid RTP packet from `from` is the peer's media. Packets from
  // the SDP address are always the peer's (they take over from a latched
  // source: signalling names the peer, latching only guesses it).
  bool Admit(const sockaddr_in& from);

  // The source media is accepted from, once one has been.
  const std::optional<sockaddr_in>& source() const { return source_; }
  // Packets refused since the session began.
  uint64_t dropped() const { return dropped_; }

 private:
  sockaddr_in signalled_;
  std::optional<sockaddr_in> source_;
  uint64_t dropped_ = 0;
};

// Same IPv4 address and port.
bool SameEndpoint(const sockaddr_in& a, const sockaddr_in& b);

}  // namespace gosline::telephony
