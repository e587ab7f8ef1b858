// Access tokens of the state identity provider (OpenID Connect, R26): a
// signed JWT (RS256 or ES256, RFC 7515/7519) whose keys the provider
// publishes as a JWKS. A token is accepted only when its signature checks
// against a published key of the algorithm that key is for, it was issued
// by the configured issuer for our audience, and it is within its validity
// (exp, nbf) give or take a small leeway for clocks that drift. Everything
// else ("alg": "none", HS256 signed with the public key, an unknown key,
// a malformed token) is refused as unauthenticated. The subject is the
// citizen's portal account id, the one cases carry.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "security/json_web_key_set.h"

namespace gosline::security {

// The provider's keys, fetched from a file or a URL (the fetch functions are
// given by the composition root) and cached. An unknown `kid` refreshes the
// cache (the provider rotated its keys), at most once per `min_refresh` so a
// flood of forged kids cannot make us hammer the provider; a cache older than
// `max_age` is refreshed on the next use, so a withdrawn key stops working.
// Threads: any; refresh_mu_ lets one thread fetch at a time (no other lock is
// held while it does), mu_ (a leaf) guards the cached set.
class JwksCache {
 public:
  using Fetch = std::function<Result<std::string>()>;
  JwksCache(std::vector<Fetch> sources, Duration min_refresh = std::chrono::seconds(5),
            Duration max_age = std::chrono::hours(1));

  // The key named `kid`; NotFound when the provider does not publish it.
  Result<JsonWebKey> Find(const std::string& kid, Time now);
  // Fetches now (at start, so a wrong path shows in the log at once).
  Status Refresh(Time now);

 private:
  std::shared_ptr<const JsonWebKeySet> Current(std::optional<Time>& fetched_at);

  const std::vector<Fetch> sources_;
  const Duration min_refresh_;
  const Duration max_age_;
  Mutex refresh_mu_;
  Mutex mu_;
  std::shared_ptr<const JsonWebKeySet> keys_ GOSLINE_GUARDED_BY(mu_);
  std::optional<Time> fetched_at_ GOSLINE_GUARDED_BY(mu_);
  std::optional<Time> tried_at_ GOSLINE_GUARDED_BY(mu_);
};

struct OidcSettings {
  std::string issuer;    // "iss" must equal this
  std::string audience;  // "aud" (a string or a list) must contain this
  Duration leeway = std::chrono::seconds(60);
};

struct CitizenIdentity {
  std::string subject;       // "sub": the portal account id
  std::string phone_number;  // "phone_number" when the provider marks it verified, else ""
  Time expires_at{};
};

inline constexpr size_t kMaxTokenBytes = 8192;
inline constexpr size_t kMaxSubjectBytes = 255;

class OidcTokenVerifier {
 public:
  OidcTokenVerifier(OidcSettings settings, std::shared_ptr<JwksCache> keys);

  // The identity the token proves at `now`, or kUnauthenticated saying why
  // (kUnavailable when the keys cannot be fetched).
  Result<CitizenIdentity> Verify(std::string_view token, Time now) const;

 private:
  OidcSettings settings_;
  std::shared_ptr<JwksCache> keys_;
};

}  // namespace gosline::security
