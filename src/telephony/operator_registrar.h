// The registrar for operators' phones: REGISTER with HTTP
// digest authentication (RFC 3261 22, RFC 2617 MD5, qop=auth or none), one
// binding per operator kept in memory with its expiry. The SIP endpoint turns
// requests into RegisterRequest and replies into responses; the digest
// arithmetic is Sofia-SIP's (auth_digest.h), the policy is here.
//
// Against replay and probing (R22): nonces come from the CSPRNG and live
// kNonceLifetime; each Authorization counts: with qop=auth its nc must grow
// for every REGISTER on the same nonce, without qop the nonce is single use,
// so a captured REGISTER cannot be sent again (to move the binding to another
// Contact, say): it gets a fresh challenge. The digest's uri must be the
// request's. A name that is no operator is challenged and refused exactly as
// an operator with a wrong password (a digest is computed either way), so
// REGISTER does not tell who the operators are.
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
  std::string request_uri;               // the Request-URI, which the digest's uri must name
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
  enum class NonceUse { kFresh, kUnknownOrExpired, kReplayed };
  // Records the use of a nonce by a correct digest (nc: nullopt without qop).
  NonceUse UseNonce(const std::string& nonce, std::optional<uint32_t> nc, Time now);
  bool NonceKnown(const std::string& nonce, Time now) const;
  struct NonceState {
    Time issued;
    bool used = false;
    uint32_t last_nc = 0;  // qop=auth: the highest nc accepted so far
  };

  std::string realm_;
  // Checked for names that are no operator, so they cost the same digest;
  // random, so no one can register as them.
  std::string unknown_user_password_;
  std::map<std::string, std::string> passwords_;
  mutable Mutex mu_;
  std::map<std::string, NonceState> nonces_ GOSLINE_GUARDED_BY(mu_);
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
