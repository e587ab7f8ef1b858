#include "telephony/rtp_session.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include <random>

#include "telephony/prompt.h"

namespace gosline::telephony {

RtpSession::RtpSession(int fd, uint32_t ssrc, const sockaddr_in& remote,
                       const NegotiatedAudio& audio)
    : fd_(fd), remote_(remote), source_(remote), audio_(audio), ssrc_(ssrc) {
  // RFC 3550 5.1: random initial sequence number and timestamp.
  std::minstd_rand rng(ssrc);
  sequence_ = static_cast<uint16_t>(rng());
  timestamp_ = static_cast<uint32_t>(rng());
  Rekey(std::nullopt);
}

void RtpSession::Rekey(const std::optional<SrtpKeys>& previous) {
  if (!audio_.srtp) {
    srtp_.reset();
    srtp_failed_ = false;
    return;
  }
  if (srtp_ && previous == audio_.srtp) return;  // same keys: the replay window goes on
  Result<std::unique_ptr<SrtpContext>> made =
      SrtpContext::Create(audio_.srtp->suite, audio_.srtp->local, audio_.srtp->remote);
  if (!made.ok()) {
    // Never fall back to clear audio on a leg that negotiated SRTP.
    spdlog::error("rtp port {}: {}; the leg sends and accepts nothing", LocalPort(),
                  made.status().ToString());
    srtp_.reset();
    srtp_failed_ = true;
    return;
  }
  srtp_ = std::move(*made);
  srtp_failed_ = false;
}

void RtpSession::Update(const sockaddr_in& remote, const NegotiatedAudio& audio) {
  const bool resumed = audio.we_send && !audio_.we_send;
  remote_ = remote;
  source_.Resignal(remote);
  const std::optional<SrtpKeys> previous = audio_.srtp;
  audio_ = audio;
  Rekey(previous);
  if (resumed) marker_next_ = true;
}

void RtpSession::SendFrame(const uint8_t* coded) {
  if (audio_.we_send && !srtp_failed_) {
    uint8_t packet[kRtpHeaderSize + kFrameSamples + kSrtpMaxTrailer];
    size_t size = kRtpHeaderSize + kFrameSamples;
    RtpHeader h;
    h.marker = marker_next_;
    h.payload_type = static_cast<uint8_t>(audio_.payload_type);
    h.sequence = sequence_++;
    h.timestamp = timestamp_;
    h.ssrc = ssrc_;
    WriteRtpHeader(h, packet);
    std::copy(coded, coded + kFrameSamples, packet + kRtpHeaderSize);
    const bool ready = srtp_ == nullptr || srtp_->Protect(packet, &size, sizeof packet);
    if (ready) {
      // A full socket buffer or an ICMP error loses one frame; RTP tolerates that.
      sendto(fd_, packet, size, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&remote_),
             sizeof remote_);
      marker_next_ = false;
      ++packets_sent_;
    }
  }
  timestamp_ += kFrameSamples;
}

int RtpSession::ReadAll(const Received& sink) {
  int valid = 0;
  uint8_t buf[2048];
  for (int i = 0; i < 64; ++i) {  // bounded: a flood cannot starve other calls
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = recvfrom(fd_, buf, sizeof buf, MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) break;
    if (from_len != sizeof from || from.sin_family != AF_INET) continue;
    size_t size = static_cast<size_t>(n);
    if (srtp_failed_) continue;
    if (srtp_ != nullptr) {
      // Authenticated before anything reads it: a forged or replayed packet
      // neither plays nor latches the source filter.
      // Only the header is clear: a padding count would be read from the tag.
      if (size < kRtpHeaderSize || (buf[0] >> 6) != 2) continue;
      const SrtpContext::Verdict verdict = srtp_->Unprotect(buf, &size);
      if (verdict != SrtpContext::Verdict::kOk) {
        if (verdict == SrtpContext::Verdict::kReplayed) {
          ++packets_replayed_;
        } else {
          ++packets_unauthenticated_;
        }
        LogFirstRefusal(verdict);
        continue;
      }
    }
    std::optional<RtpView> v = ParseRtp(std::span<const uint8_t>(buf, size));
    if (!v) continue;
    if (!source_.Admit(from)) {
      LogFirstDrop(from);
      continue;
    }
    ++valid;
    ++packets_received_;
    // Loss: sequence gaps within one SSRC. A new SSRC is a new stream; it can
    // only come from the peer's source, the filter dropped everything else.
    if (have_peer_seq_ && v->header.ssrc == peer_ssrc_) {
      const auto gap = static_cast<uint16_t>(v->header.sequence - peer_next_seq_);
      if (gap < 0x8000) {
        packets_lost_ += gap;
        peer_next_seq_ = static_cast<uint16_t>(v->header.sequence + 1);
      }
    } else {
      have_peer_seq_ = true;
      peer_ssrc_ = v->header.ssrc;
      peer_next_seq_ = static_cast<uint16_t>(v->header.sequence + 1);
    }
    if (audio_.telephone_event_pt && v->header.payload_type == *audio_.telephone_event_pt) {
      if (std::optional<TelephoneEvent> ev = ParseTelephoneEvent(v->payload)) {
        sink.on_event(v->header.timestamp, *ev);
      }
    } else if (v->header.payload_type == audio_.payload_type) {
      sink.on_audio(v->payload);
    }
  }
  return valid;
}

void RtpSession::LogFirstDrop(const sockaddr_in& from) {
  if (drop_logged_) return;  // once per session: a flood must not flood the log too
  drop_logged_ = true;
  char got[INET_ADDRSTRLEN] = "?", want[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &from.sin_addr, got, sizeof got);
  const sockaddr_in& peer = source_.source() ? *source_.source() : remote_;
  inet_ntop(AF_INET, &peer.sin_addr, want, sizeof want);
  spdlog::warn("rtp port {}: dropping packets from {}:{}, the peer's media comes from {}:{}",
               LocalPort(), got, ntohs(from.sin_port), want, ntohs(peer.sin_port));
}

void RtpSession::LogFirstRefusal(SrtpContext::Verdict verdict) {
  if (refusal_logged_) return;  // once per session, like the source drops
  refusal_logged_ = true;
  spdlog::warn("rtp port {}: dropping SRTP packets that fail {}", LocalPort(),
               verdict == SrtpContext::Verdict::kReplayed ? "the replay check" : "authentication");
}

uint16_t RtpSession::LocalPort() const {
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) != 0) return 0;
  return ntohs(local.sin_port);
}

}  // namespace gosline::telephony
