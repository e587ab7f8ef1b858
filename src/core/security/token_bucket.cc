#include "core/security/token_bucket.h"

#include <algorithm>

namespace gosline::security {

TokenBucket::TokenBucket(const BucketPolicy& policy, Time now)
    : policy_(policy), credit_(Full()), updated_(now) {}

int64_t TokenBucket::CreditAt(Time now) const {
  if (now <= updated_) return credit_;
  if (policy_.refill_every.count() <= 0) return Full();
  // Elapsed time is capped at Full() before adding, so nothing overflows.
  int64_t elapsed = std::min<int64_t>((now - updated_).count(), Full());
  return std::min(Full(), credit_ + elapsed);
}

bool TokenBucket::TryTake(Time now) {
  int64_t credit = CreditAt(now);
  if (credit < Unit()) return false;
  credit_ = credit - Unit();
  updated_ = std::max(updated_, now);
  return true;
}

}  // namespace gosline::security
