// One call's RTP stream on its own UDP socket: sends 20 ms G.711 frames with
// correct sequence numbers, timestamps, SSRC and marker bit; reads what the
// peer sends and classifies it (audio / telephone-event). Only the peer's
// media is read (RtpSourceFilter): packets from other sources are dropped.
// With SRTP keys in the negotiated audio (R22) every packet is encrypted on
// the way out, and on the way in checked before anything else: a packet that
// fails authentication or replays an earlier one is dropped and counted,
// never played, recorded or allowed to latch the source.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "telephony/codec_negotiation.h"
#include "telephony/rtp_packet.h"
#include "telephony/rtp_source_filter.h"
#include "telephony/srtp_context.h"

namespace gosline::telephony {

class RtpSession {
 public:
  RtpSession(int fd, uint32_t ssrc, const sockaddr_in& remote, const NegotiatedAudio& audio);

  // New remote address / codec / direction after a re-INVITE; media is then
  // expected from the new address.
  void Update(const sockaddr_in& remote, const NegotiatedAudio& audio);
  const NegotiatedAudio& audio() const { return audio_; }

  // Sends one frame of kFrameSamples coded bytes (or skips it when we must not
  // send: hold); timestamps advance either way so the clock stays continuous.
  void SendFrame(const uint8_t* coded);

  struct Received {
    std::function<void(std::span<const uint8_t> coded)> on_audio;
    std::function<void(uint32_t timestamp, const TelephoneEvent& ev)> on_event;
  };
  // Reads every datagram waiting on the socket. Returns how many were the
  // peer's media (valid RTP from the peer's source).
  int ReadAll(const Received& sink);

  uint64_t packets_sent() const { return packets_sent_; }
  // Received from the peer, and lost on the way: gaps in its sequence numbers
  // (a packet arriving late after a gap was counted is not subtracted again).
  uint64_t packets_received() const { return packets_received_; }
  uint64_t packets_lost() const { return packets_lost_; }
  // Packets refused: valid RTP from another source than the peer's, and SRTP
  // that failed authentication or the replay check.
  uint64_t packets_dropped() const {
    return source_.dropped() + packets_unauthenticated_ + packets_replayed_;
  }
  // SRTP packets refused: authentication failed or a replay (R22).
  uint64_t packets_unauthenticated() const { return packets_unauthenticated_; }
  uint64_t packets_replayed() const { return packets_replayed_; }
  bool encrypted() const { return srtp_ != nullptr; }

 private:
  void LogFirstDrop(const sockaddr_in& from);
  // (Re)keys SRTP from audio_.srtp: a new context only when the keys change.
  void Rekey(const std::optional<SrtpKeys>& previous);
  void LogFirstRefusal(SrtpContext::Verdict verdict);
  uint16_t LocalPort() const;

  int fd_;
  sockaddr_in remote_;
  RtpSourceFilter source_;
  bool drop_logged_ = false;
  // Shared: an RtpSession is copied into the task that hands it to the media
  // thread; only one copy is ever used.
  std::shared_ptr<SrtpContext> srtp_;
  bool srtp_failed_ = false;  // keys negotiated but libsrtp refused them: send nothing
  uint64_t packets_unauthenticated_ = 0;
  uint64_t packets_replayed_ = 0;
  bool refusal_logged_ = false;
  NegotiatedAudio audio_;
  uint32_t ssrc_;
  uint16_t sequence_;
  uint32_t timestamp_;
  bool marker_next_ = true;
  uint64_t packets_sent_ = 0;
  uint64_t packets_received_ = 0;
  uint64_t packets_lost_ = 0;
  bool have_peer_seq_ = false;
  uint32_t peer_ssrc_ = 0;
  uint16_t peer_next_seq_ = 0;
};

}  // namespace gosline::telephony
