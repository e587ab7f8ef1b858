#include "telephony/rtp_packet.h"

namespace gosline::telephony {

void WriteRtpHeader(const RtpHeader& h, uint8_t* out) {
  out[0] = 0x80;
  out[1] = static_cast<uint8_t>((h.marker ? 0x80 : 0) | (h.payload_type & 0x7f));
  out[2] = static_cast<uint8_t>(h.sequence >> 8);
  out[3] = static_cast<uint8_t>(h.sequence);
  out[4] = static_cast<uint8_t>(h.timestamp >> 24);
  out[5] = static_cast<uint8_t>(h.timestamp >> 16);
  out[6] = static_cast<uint8_t>(h.timestamp >> 8);
  out[7] = static_cast<uint8_t>(h.timestamp);
  out[8] = static_cast<uint8_t>(h.ssrc >> 24);
  out[9] = static_cast<uint8_t>(h.ssrc >> 16);
  out[10] = static_cast<uint8_t>(h.ssrc >> 8);
  out[11] = static_cast<uint8_t>(h.ssrc);
}

std::optional<RtpView> ParseRtp(std::span<const uint8_t> p) {
  if (p.size() < kRtpHeaderSize || (p[0] >> 6) != 2) return std::nullopt;
  const bool padding = (p[0] & 0x20) != 0;
  const bool extension = (p[0] & 0x10) != 0;
  const size_t csrc_count = p[0] & 0x0f;
  size_t offset = kRtpHeaderSize + 4 * csrc_count;
  if (offset > p.size()) return std::nullopt;
  if (extension) {
    if (offset + 4 > p.size()) return std::nullopt;
    const size_t words = (static_cast<size_t>(p[offset + 2]) << 8) | p[offset + 3];
    offset += 4 + 4 * words;
    if (offset > p.size()) return std::nullopt;
  }
  size_t end = p.size();
  if (padding) {
    const size_t pad = p[p.size() - 1];
    if (pad == 0 || offset + pad > end) return std::nullopt;
    end -= pad;
  }
  RtpView v;
  v.header.marker = (p[1] & 0x80) != 0;
  v.header.payload_type = p[1] & 0x7f;
  v.header.sequence = static_cast<uint16_t>((p[2] << 8) | p[3]);
  v.header.timestamp = (static_cast<uint32_t>(p[4]) << 24) | (static_cast<uint32_t>(p[5]) << 16) |
                       (static_cast<uint32_t>(p[6]) << 8) | p[7];
  v.header.ssrc = (static_cast<uint32_t>(p[8]) << 24) | (static_cast<uint32_t>(p[9]) << 16) |
                  (static_cast<uint32_t>(p[10]) << 8) | p[11];
  v.payload = p.subspan(offset, end - offset);
  return v;
}

std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload) {
  if (payload.size() < 4) return std::nullopt;
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.duration = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
  return e;
}

char DtmfEventToChar(uint8_t event) {
  static constexpr char kChars[] = "0123456789*#ABCD";
  return event < 16 ? kChars[event] : 0;
}

}  // namespace gosline::telephony
