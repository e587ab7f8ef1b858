// What the registry keeps about every call attempt: who
// called which number, when it started, was answered and ended, why, and how
// far the caller got in the IVR.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/common/time.h"

namespace gosline::telephony {

// Why a call ended. Stable strings (CallEndReasonName) go to storage.
enum class CallEndReason {
  kCallerHangup,      // BYE from the caller
  kServerHangup,      // the IVR hung up
  kCancelled,         // CANCEL before answer
  kNotFound,          // 404: dialled number not configured
  kNoCommonCodec,     // 488
  kOverloaded,        // 503: max calls or media loop late
  kBadRequest,        // 400: malformed SDP or request
  kMediaTimeout,      // no RTP from the caller
  kSessionExpired,    // RFC 4028 refresh missing
  kMaxDuration,       // call longer than the configured limit
  kShutdown,          // server stopped
  kError,             // anything else (transport error, no ACK)
  kRefused,           // R25: refused by abuse protection (486/603)
};

const char* CallEndReasonName(CallEndReason reason);

struct CallRecord {
  std::string call_id;                     // SIP Call-ID
  std::string from;                        // caller's number (From user), as presented
  std::optional<std::string> caller_e164;  // `from` normalised, when it is a phone number
  std::string dialled;                     // Request-URI user: "115"
  std::optional<std::string> region_code;  // federal subject code, when known (R10)
  Time started{};
  std::optional<Time> answered;
  Time ended{};
  CallEndReason end_reason = CallEndReason::kError;
  int sip_status = 0;                      // final response we sent (200, 404, ...)

  // What happened in the IVR (answered calls; empty otherwise): from the IVR
  // trace and the media side, so the registry shows how far the caller got.
  std::string language;                    // IVR language at the end ("ru", "en")
  std::string ivr_path;                    // node ids entered, space-separated
  std::string topic;                       // topic reached
  std::string queue;                       // queue entered
  std::string case_number;                 // case whose status was asked (R16)
  std::string ivr_end;                     // "queued", "completed", "caller_hung_up", ...
  std::string digits;                      // keys received (any source), in order
  std::string prompts;                     // prompt keys that started playing, space-separated
  // Caller-leg RTP refused: from other sources, or SRTP failing
  // authentication or the replay check (R22).
  uint64_t rtp_dropped = 0;

  // Speech in the IVR (R7): the intent chosen at a listen node and what the
  // recogniser heard last.
  std::string intent;                      // intent id ("" = none)
  std::string intent_by;                   // "speech", "confirmed", "key"
  std::string speech_text;                 // last recognised text
  std::optional<double> speech_confidence; // its confidence 0..1
  int speech_reprompts = 0;                // re-prompts at listen nodes
  int key_fallbacks = 0;                   // listen nodes answered by key
};

}  // namespace gosline::telephony
