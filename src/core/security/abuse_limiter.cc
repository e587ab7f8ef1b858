#include "core/security/abuse_limiter.h"

#include <optional>
#include <utility>

#include "core/cases/phone.h"

namespace gosline::security {

const char* AbuseActionName(AbuseAction action) {
  switch (action) {
    case AbuseAction::kAllow: return "allow";
    case AbuseAction::kBusy: return "busy";
    case AbuseAction::kAnnounceThenHangup: return "announce_then_hangup";
  }
  return "unknown";
}

const char* AbuseReasonName(AbuseReason reason) {
  switch (reason) {
    case AbuseReason::kNone: return "none";
    case AbuseReason::kUnidentified: return "unidentified";
    case AbuseReason::kAllowListed: return "allow_listed";
    case AbuseReason::kBlockListed: return "block_listed";
    case AbuseReason::kShortCallFlood: return "short_call_flood";
    case AbuseReason::kManySources: return "many_sources";
    case AbuseReason::kNumberRate: return "number_rate";
    case AbuseReason::kPrefixRate: return "prefix_rate";
  }
  return "unknown";
}

AbuseLimiter::AbuseLimiter(AbusePolicy policy, NumberList block, NumberList allow)
    : policy_(policy),
      block_(std::move(block)),
      allow_(std::move(allow)),
      flood_(policy.flood),
      numbers_(policy.max_tracked_numbers),
      prefixes_(policy.max_tracked_prefixes) {}

void AbuseLimiter::SetLists(NumberList block, NumberList allow) {
  block_ = std::move(block);
  allow_ = std::move(allow);
}

AbuseDecision AbuseLimiter::OnCallAttempt(std::string_view caller, std::string_view source,
                                          Time now) {
  std::optional<std::string> number = NormalizePhone(caller);
  if (!number) return {AbuseAction::kAllow, AbuseReason::kUnidentified, {}};
  AbuseDecision d{AbuseAction::kAllow, AbuseReason::kNone, *number};
  if (allow_.Matches(*number)) {
    d.reason = AbuseReason::kAllowListed;
    return d;
  }
  if (block_.Matches(*number)) {
    d.action = AbuseAction::kAnnounceThenHangup;
    d.reason = AbuseReason::kBlockListed;
    return d;
  }
  flood_.OnAttempt(*number, source, now);
  switch (flood_.Flagged(*number, now)) {
    case FloodKind::kShortCalls:
      d.action = AbuseAction::kAnnounceThenHangup;
      d.reason = AbuseReason::kShortCallFlood;
      return d;
    case FloodKind::kManySources:
      d.action = AbuseAction::kAnnounceThenHangup;
      d.reason = AbuseReason::kManySources;
      return d;
    case FloodKind::kNone: break;
  }
  // "+" and the first prefix_digits digits.
  std::string prefix = number->substr(0, 1 + policy_.prefix_digits);
  TokenBucket& nb = numbers_.FindOrInsert(*number, [&] { return TokenBucket(policy_.per_number, now); });
  TokenBucket& pb = prefixes_.FindOrInsert(prefix, [&] { return TokenBucket(policy_.per_prefix, now); });
  // Look at both before taking from either: a refused call costs nothing.
  if (!nb.HasToken(now)) {
    d.action = AbuseAction::kBusy;
    d.reason = AbuseReason::kNumberRate;
    return d;
  }
  if (!pb.HasToken(now)) {
    d.action = AbuseAction::kBusy;
    d.reason = AbuseReason::kPrefixRate;
    return d;
  }
  nb.TryTake(now);
  pb.TryTake(now);
  return d;
}

void AbuseLimiter::OnCallEnded(std::string_view caller, Duration talk_time, Time now) {
  std::optional<std::string> number = NormalizePhone(caller);
  if (!number || allow_.Matches(*number)) return;
  flood_.OnCallEnded(*number, talk_time, now);
}

void AbuseLimiter::Sweep(Time now) {
  flood_.Sweep(now);
  numbers_.EraseIf([&](const std::string&, const TokenBucket& b) {
    return b.IsFull(now);
  });
  prefixes_.EraseIf([&](const std::string&, const TokenBucket& b) {
    return b.IsFull(now);
  });
}

}  // namespace gosline::security
