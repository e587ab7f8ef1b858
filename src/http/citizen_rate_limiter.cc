#include "http/citizen_rate_limiter.h"

#include <algorithm>

namespace gosline::http {

security::BucketPolicy CitizenRateLimiter::PerMinute(int n) {
  const int per_minute = std::max(n, 1);
  return {static_cast<uint32_t>(per_minute),
          std::chrono::duration_cast<Duration>(std::chrono::minutes(1)) / per_minute};
}

CitizenRateLimiter::CitizenRateLimiter(int per_minute_per_subject, int per_minute_per_address,
                                       size_t max_keys)
    : subject_policy_(PerMinute(per_minute_per_subject)),
      address_policy_(PerMinute(per_minute_per_address)),
      subjects_(max_keys),
      addresses_(max_keys) {}

bool CitizenRateLimiter::AllowAddress(const std::string& address, Time now) {
  MutexLock lock(mu_);
  return addresses_.FindOrInsert(address, [&] { return security::TokenBucket(address_policy_, now); })
      .TryTake(now);
}

bool CitizenRateLimiter::AllowSubject(const std::string& subject, Time now) {
  MutexLock lock(mu_);
  return subjects_.FindOrInsert(subject, [&] { return security::TokenBucket(subject_policy_, now); })
      .TryTake(now);
}

}  // namespace gosline::http
