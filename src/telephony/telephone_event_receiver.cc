#include "telephony/telephone_event_receiver.h"

#include <algorithm>

namespace gosline::telephony {

std::optional<char> TelephoneEventReceiver::OnPacket(uint32_t ts, const TelephoneEvent& e) {
  if (timestamp_ && *timestamp_ == ts) {  // more of the same key press
    duration_ = std::max(duration_, e.duration);
    ended_ = ended_ || e.end;
    return std::nullopt;
  }
  // A press longer than the 16-bit duration goes on in a new segment whose
  // timestamp follows the last one (RFC 4733 2.5.1.3): the same key, not a new one.
  const bool continued = timestamp_ && !ended_ && e.event == event_ &&
                         ts == *timestamp_ + duration_;
  timestamp_ = ts;
  event_ = e.event;
  duration_ = e.duration;
  ended_ = e.end;
  if (continued) return std::nullopt;
  const char c = DtmfEventToChar(e.event);
  if (c == 0) return std::nullopt;
  return c;
}

}  // namespace gosline::telephony
