// RTP fixed header (RFC 3550) and the RFC 4733 telephone-event payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace gosline::telephony {

constexpr size_t kRtpHeaderSize = 12;

struct RtpHeader {
  bool marker = false;
  uint8_t payload_type = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

// Writes a 12-byte header (version 2, no padding/extension/CSRC).
void WriteRtpHeader(const RtpHeader& h, uint8_t* out);

struct RtpView {
  RtpHeader header;
  std::span<const uint8_t> payload;
};

// Parses version-2 RTP, skipping CSRCs and an extension and removing padding;
// nullopt for anything malformed (it is dropped, never trusted).
std::optional<RtpView> ParseRtp(std::span<const uint8_t> packet);

// RFC 4733 section 2.3: event, E bit, volume, duration.
struct TelephoneEvent {
  uint8_t event = 0;  // 0-9, 10 '*', 11 '#', 12-15 A-D
  bool end = false;
  uint16_t duration = 0;
};
std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload);

// '0'..'9', '*', '#', 'A'..'D' for DTMF events; 0 for other events.
char DtmfEventToChar(uint8_t event);

}  // namespace gosline::telephony
