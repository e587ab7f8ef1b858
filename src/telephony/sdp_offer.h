// The audio part of a caller's SDP (RFC 4566), parsed with Sofia-SIP's SDP
// parser into plain data the rest of the adapter can reason about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "telephony/sdp_crypto.h"

namespace gosline::telephony {

enum class MediaDirection { kSendRecv, kSendOnly, kRecvOnly, kInactive };

struct SdpFormat {
  int payload_type = -1;
  std::string encoding;   // "PCMA", "telephone-event" (as written; compare case-insensitively)
  unsigned clock_rate = 0;
};

struct SdpAudioOffer {
  std::string address;            // connection address of the audio stream
  uint16_t port = 0;
  std::vector<SdpFormat> formats; // in the caller's order of preference
  MediaDirection direction = MediaDirection::kSendRecv;  // as seen by the caller
  bool hold_by_zero_address = false;  // old-style hold: c=IN IP4 0.0.0.0
  // RTP/SAVP (SRTP, R22): the usable a=crypto lines in the caller's order,
  // and why the last skipped one was not usable ("" when none was skipped).
  bool secure = false;
  std::vector<SdpCrypto> crypto;
  std::string crypto_skipped;
};

// The first audio stream on RTP/AVP or RTP/SAVP. InvalidArgument with a
// reason for malformed SDP (-> 400); NotFound when there is no usable audio
// stream (-> 488).
Result<SdpAudioOffer> ParseSdpAudioOffer(std::string_view sdp);

}  // namespace gosline::telephony
