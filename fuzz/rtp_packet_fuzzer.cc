// RTP packets and RFC 4733 telephone events as the media loop reads them from
// a socket anyone can send to (R5 digits, R22: bad packets are dropped, never
// trusted). The whole input is one packet; then it is cut into 16-byte
// packets fed in order to a TelephoneEventReceiver, as a stream of key
// presses. Oracles: a parsed packet written back with our header parses to
// the same header and payload; the payload lies inside the packet; only DTMF
// characters are reported, at most one per new event timestamp.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "telephony/rtp_packet.h"
#include "telephony/telephone_event_receiver.h"

using namespace gosline::telephony;

namespace {

void CheckRoundTrip(std::span<const uint8_t> packet) {
  std::optional<RtpView> v = ParseRtp(packet);
  if (!v) return;
  FUZZ_CHECK(v->payload.data() >= packet.data());
  FUZZ_CHECK(v->payload.data() + v->payload.size() <= packet.data() + packet.size());
  std::vector<uint8_t> again(kRtpHeaderSize + v->payload.size());
  WriteRtpHeader(v->header, again.data());
  if (!v->payload.empty()) {
    std::memcpy(again.data() + kRtpHeaderSize, v->payload.data(), v->payload.size());
  }
  std::optional<RtpView> w = ParseRtp(again);
  FUZZ_CHECK(w.has_value());
  FUZZ_CHECK(w->header.marker == v->header.marker);
  FUZZ_CHECK(w->header.payload_type == v->header.payload_type);
  FUZZ_CHECK(w->header.sequence == v->header.sequence);
  FUZZ_CHECK(w->header.timestamp == v->header.timestamp);
  FUZZ_CHECK(w->header.ssrc == v->header.ssrc);
  FUZZ_CHECK(w->payload.size() == v->payload.size());
  FUZZ_CHECK(v->payload.empty() ||
             std::memcmp(w->payload.data(), v->payload.data(), v->payload.size()) == 0);
}

bool IsDtmf(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  CheckRoundTrip(input);

  constexpr size_t kEventPacket = kRtpHeaderSize + 4;
  TelephoneEventReceiver receiver;
  size_t new_timestamps = 0;
  size_t digits = 0;
  std::optional<uint32_t> last_timestamp;
  for (size_t at = 0; at + kEventPacket <= size; at += kEventPacket) {
    std::optional<RtpView> v = ParseRtp(input.subspan(at, kEventPacket));
    if (!v) continue;
    std::optional<TelephoneEvent> event = ParseTelephoneEvent(v->payload);
    if (!event) continue;
    if (last_timestamp != v->header.timestamp) ++new_timestamps;
    last_timestamp = v->header.timestamp;
    if (std::optional<char> digit = receiver.OnPacket(v->header.timestamp, *event)) {
      FUZZ_CHECK(IsDtmf(*digit));
      FUZZ_CHECK(*digit == DtmfEventToChar(event->event));
      ++digits;
    }
  }
  FUZZ_CHECK(digits <= new_timestamps);
  return 0;
}
