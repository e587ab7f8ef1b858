// Turns a stream of RFC 4733 telephone-event packets into digits. A digit is
// reported once, at the first packet of its event: every packet of one event
// (updates, the end sent three times) shares its RTP timestamp, so a new
// timestamp is a new key press. Reporting at the start rather than the end
// matters for phones that keep a key "down" until the next one (baresip's
// console does): the end of the last digit of a case number would otherwise
// arrive only with the next key, after the IVR stopped waiting.
#pragma once

#include <cstdint>
#include <optional>

#include "telephony/rtp_packet.h"

namespace gosline::telephony {

class TelephoneEventReceiver {
 public:
  // The digit to report for this packet, if any.
  std::optional<char> OnPacket(uint32_t rtp_timestamp, const TelephoneEvent& event);

 private:
  std::optional<uint32_t> timestamp_;  // of the event seen last
  uint8_t event_ = 0;
  uint16_t duration_ = 0;              // longest duration seen for it
  bool ended_ = false;
};

}  // namespace gosline::telephony
