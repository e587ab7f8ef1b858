// The registrar for operators' phones (issue 4 part 1): REGISTER with HTTP
// digest authentication (RFC 3261 22, RFC 2617 MD5, qop=auth or none), one
// binding per operator kept in memory with its expiry. The SIP endpoint turns
// requests into RegisterRequest and replies into responses; the digest
// arithmetic is Sofia-SIP's (auth_digest.h), the policy is here.
//
// Why not Sofia's auth_module: it wants its own password file format and an
// su_root for nonce timers, and nua hands us the request anyway; verifying the
// digest response ourselves is a few lines on top of auth_digest_response().
//
// Threads: REGISTER arrives on the SIP thread, look-ups come from there too,
// but tests and metrics may ask from any thread. realm_ and passwords_ are
// fixed at construction; mu_ guards the nonces and the bindings.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/time.h"

namespace gosline::telephony {

// The Authorization header's parameters, "name=value" as Sofia splits them.
using DigestParams = std::vector<std::string>;

struct RegisterRequest {
  std::string aor_user;                  // user part of To
  std::optional<DigestParams> digest;    // Authorization: Digest ..., when present
  std::string contact;                   // first Contact URI; "" = query; "*" = remove all
  std::optional<unsigned> expires;       // Contact ;expires= or Expires header
};

struct RegisterReply {
  int status = 200;
  std::string www_authenticate;  // for 401
  std::string contact;           // the binding, for 200 (with ;expires=)
  unsigned expires = 0;
};

class OperatorRegistrar {
 public:
  static constexpr std::chrono::seconds kMaxExpires{3600};
  static constexpr std::chrono::seconds kMinExpires{30};
  static constexpr std::chrono::seconds kNonceLifetime{300};

  // passwords: operator id -> SIP password.
  OperatorRegistrar(std::string realm, std::map<std::string, std::string> passwords);

  RegisterReply OnRegister(const RegisterRequest& request, Time now);
  // The live binding of an operator, if registered and not expired.
  std::optional<std::string> ContactOf(const std::string& operator_id, Time now) const;
  bool IsOperator(const std::string& id) const { return passwords_.count(id) > 0; }

 private:
  RegisterReply Challenge(Time now, bool stale);
  bool NonceValid(const std::string& nonce, Time now) const;

  std::string realm_;
  std::map<std::string, std::string> passwords_;
  mutable Mutex mu_;
  std::map<std::string, Time> nonces_ GOSLINE_GUARDED_BY(mu_);  // issued -> when
  struct Binding {
    std::string contact;
    Time expires_at;
  };
  std::map<std::string, Binding> bindings_ GOSLINE_GUARDED_BY(mu_);
};

// Splits "name=value" / name="value" parameters; values unquoted.
std::map<std::string, std::string> ParseDigestParams(const DigestParams& params);

// The digest response a client computes (hex MD5), for tests and the check.
std::string DigestResponse(const std::string& user, const std::string& realm,
                           const std::string& password, const std::string& method,
                           const std::string& uri, const std::string& nonce,
                           const std::string& qop, const std::string& nc,
                           const std::string& cnonce);

}  // namespace gosline::telephony
