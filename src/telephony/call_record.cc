#include "telephony/call_record.h"

namespace gosline::telephony {

const char* CallEndReasonName(CallEndReason reason) {
  switch (reason) {
    case CallEndReason::kCallerHangup: return "caller_hangup";
    case CallEndReason::kServerHangup: return "server_hangup";
    case CallEndReason::kCancelled: return "cancelled";
    case CallEndReason::kNotFound: return "not_found";
    case CallEndReason::kNoCommonCodec: return "no_common_codec";
    case CallEndReason::kOverloaded: return "overloaded";
    case CallEndReason::kBadRequest: return "bad_request";
    case CallEndReason::kMediaTimeout: return "media_timeout";
    case CallEndReason::kSessionExpired: return "session_expired";
    case CallEndReason::kMaxDuration: return "max_duration";
    case CallEndReason::kShutdown: return "shutdown";
    case CallEndReason::kError: return "error";
    case CallEndReason::kRefused: return "refused";
  }
  return "error";
}

}  // namespace gosline::telephony
