#include "telephony/inband_dtmf_detector.h"

#include <spandsp.h>

namespace gosline::telephony {

InbandDtmfDetector::InbandDtmfDetector()
    : rx_(dtmf_rx_init(nullptr, &InbandDtmfDetector::OnDigits, this)) {}

InbandDtmfDetector::~InbandDtmfDetector() { dtmf_rx_free(rx_); }

void InbandDtmfDetector::OnDigits(void* user, const char* digits, int len) {
  static_cast<InbandDtmfDetector*>(user)->pending_.append(digits, static_cast<size_t>(len));
}

std::string InbandDtmfDetector::Feed(std::span<const int16_t> pcm) {
  if (rx_ == nullptr) return {};
  dtmf_rx(rx_, pcm.data(), static_cast<int>(pcm.size()));
  std::string out;
  out.swap(pending_);
  return out;
}

}  // namespace gosline::telephony
