// Abuse protection where calls enter (R25): one decision per incoming call,
// before it reaches the IVR queue or an operator.
//
//   source at its cap of calls at once   -> busy  (untrusted sources only)
//   source bucket empty                  -> busy  (untrusted sources only)
//   allow list            -> allow (no number limit applies)
//   block list            -> announce_then_hangup
//   flood detected        -> announce_then_hangup
//   number bucket empty   -> busy  (a real caller may simply try again later)
//   prefix bucket empty   -> busy
//   otherwise             -> allow, one token taken from each bucket
//
// Limits are per signalling source address, per caller number and per number
// prefix; there is deliberately no global limit, so a flood from some numbers
// never closes the line to everybody else. The caller number is only what the
// From header claims: a host that withholds it, sends garbage or presents a
// new number on every call is still one source address, so the per-source
// limits apply to every call whatever its From (an allow-listed From too).
// Trunks, which carry many citizens' calls from one address, are listed as
// trusted sources and limited per number only. Memory is bounded by LRU and
// Sweep(); calls in progress are counted per source until they end. Not
// thread-safe: the telephony adapter serialises calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
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
  // Per signalling source address (not trusted): a rate and a cap on calls at once.
  BucketPolicy per_source{100, std::chrono::milliseconds(100)};
  uint32_t max_calls_per_source = 100;  // 0: no cap
  size_t max_tracked_sources = 20'000;
  std::set<std::string, std::less<>> trusted_sources;  // trunks: no per-source limit
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
  kSourceRate,    // one address calls too often
  kSourceCalls,   // one address has too many calls at once
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
  // address the signalling came from (the trunk or the peer).
  AbuseDecision OnCallAttempt(std::string_view caller, std::string_view source, Time now);
  // An admitted call from `source` is in progress (it holds a slot and a
  // port) until CallFinished; the adapter calls the two in pairs.
  void CallStarted(std::string_view source);
  void CallFinished(std::string_view source);
  // Feeds the short-call flood detection.
  void OnCallEnded(std::string_view caller, Duration talk_time, Time now);

  void Sweep(Time now);
  size_t tracked_numbers() const { return numbers_.size(); }
  size_t tracked_prefixes() const { return prefixes_.size(); }
  size_t tracked_sources() const { return sources_.size(); }
  uint32_t calls_from(std::string_view source) const;

 private:
  AbusePolicy policy_;
  NumberList block_;
  NumberList allow_;
  FloodDetector flood_;
  BoundedLru<TokenBucket> numbers_;
  BoundedLru<TokenBucket> prefixes_;
  BoundedLru<TokenBucket> sources_;
  // Calls in progress per untrusted source. Not an LRU: forgetting one would
  // lift its cap; it holds at most as many entries as calls in progress.
  std::map<std::string, uint32_t, std::less<>> in_progress_;
};

}  // namespace gosline::security
