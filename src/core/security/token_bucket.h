// A token bucket: up to `capacity` calls at once, then one more per
// `refill_every`. Used per caller number and per number prefix (R25).
// Times are passed in; a clock that steps back refills nothing.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/common/time.h"

namespace gosline::security {

struct BucketPolicy {
  uint32_t capacity = 5;
  Duration refill_every = std::chrono::minutes(2);
};

class TokenBucket {
 public:
  // Starts full: the first calls of a number are never refused.
  TokenBucket(const BucketPolicy& policy, Time now);

  bool HasToken(Time now) const { return CreditAt(now) >= Unit(); }
  // Takes one token if there is one.
  bool TryTake(Time now);
  // Full buckets carry no information and can be forgotten.
  bool IsFull(Time now) const { return CreditAt(now) >= Full(); }

 private:
  // Tokens are counted in milliseconds of refill time (one token is
  // refill_every), so refilling is exact integer arithmetic.
  int64_t Unit() const { return policy_.refill_every.count() > 0 ? policy_.refill_every.count() : 1; }
  int64_t Full() const { return Unit() * policy_.capacity; }
  int64_t CreditAt(Time now) const;

  BucketPolicy policy_;
  int64_t credit_;
  Time updated_;
};

}  // namespace gosline::security
