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
    case AbuseReason::kSourceRate: return "source_rate";
    case AbuseReason::kSourceCalls: return "source_calls";
  }
  return "unknown";
}

AbuseLimiter::AbuseLimiter(AbusePolicy policy, NumberList block, NumberList allow)
    : policy_(policy),
      block_(std::move(block)),
      allow_(std::move(allow)),
      flood_(policy.flood),
      numbers_(policy.max_tracked_numbers),
      prefixes_(policy.max_tracked_prefixes),
      sources_(policy.max_tracked_sources) {}

void AbuseLimiter::SetLists(NumberList block, NumberList allow) {
  block_ = std::move(block);
  allow_ = std::move(allow);
}

AbuseDecision AbuseLimiter::OnCallAttempt(std::string_view caller, std::string_view source,
                                          Time now) {
  std::optional<std::string> number = NormalizePhone(caller);
  AbuseDecision d{AbuseAction::kAllow, AbuseReason::kNone, number.value_or("")};
  // The source first: whatever the From claims, one host is one source.
  TokenBucket* sb = nullptr;
  if (policy_.trusted_sources.count(source) == 0) {
    if (policy_.max_calls_per_source > 0 && calls_from(source) >= policy_.max_calls_per_source) {
      d.action = AbuseAction::kBusy;
      d.reason = AbuseReason::kSourceCalls;
      return d;
    }
    sb = &sources_.FindOrInsert(std::string(source),
                                [&] { return TokenBucket(policy_.per_source, now); });
    if (!sb->HasToken(now)) {
      d.action = AbuseAction::kBusy;
      d.reason = AbuseReason::kSourceRate;
      return d;
    }
  }
  // Taken only for a call let in: a refused call costs its source nothing.
  auto admit = [&](AbuseReason reason) {
    if (sb != nullptr) sb->TryTake(now);
    d.reason = reason;
    return d;
  };
  if (!number) return admit(AbuseReason::kUnidentified);
  if (allow_.Matches(*number)) return admit(AbuseReason::kAllowListed);
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
  // Look at every bucket before taking from any: a refused call costs nothing.
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
  return admit(AbuseReason::kNone);
}

void AbuseLimiter::CallStarted(std::string_view source) {
  if (policy_.trusted_sources.count(source) > 0) return;
  auto it = in_progress_.find(source);
  if (it == in_progress_.end()) it = in_progress_.emplace(std::string(source), 0).first;
  ++it->second;
}

void AbuseLimiter::CallFinished(std::string_view source) {
  auto it = in_progress_.find(source);
  if (it == in_progress_.end()) return;
  if (--it->second == 0) in_progress_.erase(it);
}

uint32_t AbuseLimiter::calls_from(std::string_view source) const {
  auto it = in_progress_.find(source);
  return it == in_progress_.end() ? 0 : it->second;
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
  sources_.EraseIf([&](const std::string&, const TokenBucket& b) {
    return b.IsFull(now);
  });
}

}  // namespace gosline::security
