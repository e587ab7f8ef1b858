// Turns a stream of RFC 4733 telephone-event packets into digits. A digit is
// reported once, at its first end-of-event packet; the end packet is sent
// three times (section 2.5.1.4) and later packets of the same event share its
// RTP timestamp, so events are deduplicated by timestamp.
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
  std::optional<uint32_t> last_reported_timestamp_;
};

}  // namespace gosline::telephony
