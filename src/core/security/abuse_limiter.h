// Abuse protection where calls enter (R25): one decision per incoming call,
// before it reaches the IVR queue or an operator.
//
//   allow list            -> allow (no limit applies)
//   block list            -> announce_then_hangup
//   flood detected        -> announce_then_hangup
//   number bucket empty   -> busy  (a real caller may simply try again later)
//   prefix bucket empty   -> busy
//   otherwise             -> allow, one token taken from each bucket
//
// Limits are per caller number and per number prefix only; there is
// deliberately no global limit, so a flood from some numbers never closes the
// line to everybody else. Calls without a usable caller number (withheld,
// malformed) cannot be attributed and are allowed. Memory is bounded by LRU
// and Sweep(). Not thread-safe: the telephony adapter serialises calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/time.h"
#include "core/security/bounded_lru.h"
#include "core/security/flood_detector.h"
#include "core/security/number_list.h"
#include "core/security/token_bucket.h"

namespace gosline::security {

struct AbusePolicy {
  BucketPolicy per_number{6, std::chrono::minutes(5)};
  BucketPolicy per_prefix{300, std::chrono::milliseconds(200)};
  size_t prefix_digits = 7;  // digits after '+': "+7916123" is a block of 10 000 numbers
  FloodPolicy flood;
  size_t max_tracked_numbers = 100'000;
  size_t max_tracked_prefixes = 20'000;
};

enum class AbuseAction { kAllow, kBusy, kAnnounceThenHangup };
enum class AbuseReason {
  kNone,
  kUnidentified,   // no usable caller number
  kAllowListed,
  kBlockListed,
  kShortCallFlood,
  kManySources,
  kNumberRate,
  kPrefixRate,
};

const char* AbuseActionName(AbuseAction action);
const char* AbuseReasonName(AbuseReason reason);

struct AbuseDecision {
  AbuseAction action = AbuseAction::kAllow;
  AbuseReason reason = AbuseReason::kNone;
  std::string number;  // the caller in E.164, empty when unidentified
};

class AbuseLimiter {
 public:
  AbuseLimiter(AbusePolicy policy, NumberList block, NumberList allow);

  // Replaces the lists (configuration reload); counters are kept.
  void SetLists(NumberList block, NumberList allow);

  // `caller` as presented (From/P-Asserted-Identity user part); `source` the
  // trunk or peer it came through.
  AbuseDecision OnCallAttempt(std::string_view caller, std::string_view source, Time now);
  // Feeds the short-call flood detection.
  void OnCallEnded(std::string_view caller, Duration talk_time, Time now);

  void Sweep(Time now);
  size_t tracked_numbers() const { return numbers_.size(); }
  size_t tracked_prefixes() const { return prefixes_.size(); }

 private:
  AbusePolicy policy_;
  NumberList block_;
  NumberList allow_;
  FloodDetector flood_;
  BoundedLru<TokenBucket> numbers_;
  BoundedLru<TokenBucket> prefixes_;
};

}  // namespace gosline::security
