// Request limits of the citizens' API (R26): a token bucket per client
// address and one per citizen (token subject), so neither one host nor one
// account can take the line's capacity. Buckets live in bounded maps: many
// distinct keys only forget old buckets (which relaxes, never tightens, a
// limit).
//
// Threads: HTTP threads; mu_ (a leaf) guards the buckets.
#pragma once

#include <string>

#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "core/security/bounded_lru.h"
#include "core/security/token_bucket.h"

namespace gosline::http {

class CitizenRateLimiter {
 public:
  CitizenRateLimiter(int per_minute_per_subject, int per_minute_per_address, size_t max_keys = 100'000);

  bool AllowAddress(const std::string& address, Time now) GOSLINE_EXCLUDES(mu_);
  bool AllowSubject(const std::string& subject, Time now) GOSLINE_EXCLUDES(mu_);

 private:
  static security::BucketPolicy PerMinute(int n);

  const security::BucketPolicy subject_policy_;
  const security::BucketPolicy address_policy_;
  Mutex mu_;
  security::BoundedLru<security::TokenBucket> subjects_ GOSLINE_GUARDED_BY(mu_);
  security::BoundedLru<security::TokenBucket> addresses_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::http
