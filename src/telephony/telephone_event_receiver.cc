#include "telephony/telephone_event_receiver.h"

namespace gosline::telephony {

std::optional<char> TelephoneEventReceiver::OnPacket(uint32_t ts, const TelephoneEvent& e) {
  if (!e.end) return std::nullopt;
  if (last_reported_timestamp_ && *last_reported_timestamp_ == ts) return std::nullopt;
  const char c = DtmfEventToChar(e.event);
  if (c == 0) return std::nullopt;
  last_reported_timestamp_ = ts;
  return c;
}

}  // namespace gosline::telephony
