// In-band DTMF detection on decoded 8 kHz audio (spandsp dtmf_rx), used when
// the caller has not negotiated RFC 4733 telephone-event.
#pragma once

#include <cstdint>
#include <span>
#include <string>

struct dtmf_rx_state_s;

namespace gosline::telephony {

class InbandDtmfDetector {
 public:
  InbandDtmfDetector();
  ~InbandDtmfDetector();
  InbandDtmfDetector(const InbandDtmfDetector&) = delete;
  InbandDtmfDetector& operator=(const InbandDtmfDetector&) = delete;

  // Feeds audio; returns the digits completed in it (usually none).
  std::string Feed(std::span<const int16_t> pcm);

 private:
  static void OnDigits(void* user, const char* digits, int len);
  dtmf_rx_state_s* rx_;
  std::string pending_;
};

}  // namespace gosline::telephony
