#include "telephony/operator_registrar.h"

#include <sofia-sip/auth_digest.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/url.h>
#include <strings.h>

#include <algorithm>
#include <cctype>

#include "telephony/secure_random.h"

namespace gosline::telephony {
namespace {

std::string Unquote(std::string v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Constant time, so the response cannot be guessed byte by byte.
bool SameText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// RFC 2617 3.2.2: nc is exactly 8 hex digits.
std::optional<uint32_t> ParseNonceCount(const std::string& nc) {
  if (nc.size() != 8) return std::nullopt;
  uint32_t value = 0;
  for (char ch : nc) {
    const int digit = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                      : (ch >= 'a' && ch <= 'f')                  ? ch - 'a' + 10
                      : (ch >= 'A' && ch <= 'F')                  ? ch - 'A' + 10
                                                                  : -1;
    if (digit < 0) return std::nullopt;
    value = value << 4 | static_cast<uint32_t>(digit);
  }
  return value;
}

// The digest's uri names the request it was computed for (RFC 2617 3.2.2.5):
// the same text, or the same SIP URI written differently.
bool SameUri(const std::string& digest_uri, const std::string& request_uri) {
  if (digest_uri.empty() || request_uri.empty()) return false;
  if (digest_uri == request_uri) return true;
  su_home_t home[1] = {SU_HOME_INIT(home)};
  url_t* a = url_make(home, digest_uri.c_str());
  url_t* b = url_make(home, request_uri.c_str());
  const bool same = a != nullptr && b != nullptr && url_cmp_all(a, b) == 0;
  su_home_deinit(home);
  return same;
}

RegisterReply Refused(int status) {
  RegisterReply r;
  r.status = status;
  return r;
}

}  // namespace

std::map<std::string, std::string> ParseDigestParams(const DigestParams& params) {
  std::map<std::string, std::string> out;
  for (const std::string& p : params) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos) continue;
    std::string name = p.substr(0, eq);
    name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c == ' ' || c == '\t'; }),
               name.end());
    std::string value = p.substr(eq + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    out[Lower(name)] = Unquote(value);
  }
  return out;
}

std::string DigestResponse(const std::string& user, const std::string& realm,
                           const std::string& password, const std::string& method,
                           const std::string& uri, const std::string& nonce,
                           const std::string& qop, const std::string& nc,
                           const std::string& cnonce) {
  auth_response_t ar{};
  ar.ar_size = sizeof ar;
  ar.ar_username = user.c_str();
  ar.ar_realm = realm.c_str();
  ar.ar_nonce = nonce.c_str();
  ar.ar_uri = uri.c_str();
  ar.ar_md5 = 1;
  if (!qop.empty()) {
    ar.ar_qop = qop.c_str();
    ar.ar_auth = 1;
    ar.ar_nc = nc.c_str();
    ar.ar_cnonce = cnonce.c_str();
  }
  auth_hexmd5_t ha1{}, response{};
  auth_digest_a1(&ar, ha1, password.c_str());
  auth_digest_response(&ar, response, ha1, method.c_str(), nullptr, 0);
  return response;
}

OperatorRegistrar::OperatorRegistrar(std::string realm,
                                     std::map<std::string, std::string> passwords)
    : realm_(std::move(realm)),
      unknown_user_password_(SecureRandomHex(16)),
      passwords_(std::move(passwords)) {}

RegisterReply OperatorRegistrar::Challenge(Time now, bool stale) {
  const std::string nonce = SecureRandomHex(16);
  {
    MutexLock lock(mu_);
    // Bounded: old nonces go first; a flood of unauthenticated REGISTERs
    // cannot grow this without limit.
    for (auto it = nonces_.begin(); it != nonces_.end();) {
      it = (now - it->second.issued > kNonceLifetime) ? nonces_.erase(it) : std::next(it);
    }
    if (nonces_.size() >= 10000) nonces_.erase(nonces_.begin());
    nonces_[nonce] = NonceState{now};
  }
  RegisterReply r;
  r.status = 401;
  r.www_authenticate = "Digest realm=\"" + realm_ + "\", nonce=\"" + nonce +
                       "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : "");
  return r;
}

bool OperatorRegistrar::NonceKnown(const std::string& nonce, Time now) const {
  MutexLock lock(mu_);
  auto it = nonces_.find(nonce);
  return it != nonces_.end() && now - it->second.issued <= kNonceLifetime;
}

OperatorRegistrar::NonceUse OperatorRegistrar::UseNonce(const std::string& nonce,
                                                        std::optional<uint32_t> nc, Time now) {
  MutexLock lock(mu_);
  auto it = nonces_.find(nonce);
  if (it == nonces_.end() || now - it->second.issued > kNonceLifetime) {
    return NonceUse::kUnknownOrExpired;
  }
  NonceState& state = it->second;
  // Without qop nothing in the digest changes between two requests: the
  // nonce is good for one. With qop=auth the phone counts its requests.
  if (!nc ? state.used : *nc <= state.last_nc) return NonceUse::kReplayed;
  state.used = true;
  if (nc) state.last_nc = *nc;
  return NonceUse::kFresh;
}

RegisterReply OperatorRegistrar::OnRegister(const RegisterRequest& req, Time now) {
  if (!req.digest) return Challenge(now, false);
  std::map<std::string, std::string> d = ParseDigestParams(*req.digest);
  const std::string& user = d["username"];
  const std::string qop = d["qop"];
  // The digest is computed before anything is decided, operator or not, so
  // every path costs the same whoever the name is.
  auto password = passwords_.find(req.aor_user);
  const bool known = password != passwords_.end() && user == req.aor_user;
  const std::string expected =
      DigestResponse(user, realm_, known ? password->second : unknown_user_password_, "REGISTER",
                     d["uri"], d["nonce"], qop, d["nc"], d["cnonce"]);
  const bool digest_right = SameText(Lower(d["response"]), expected) && known;

  if (user != req.aor_user || d["realm"] != realm_ || d["response"].empty() ||
      (!d["algorithm"].empty() && strcasecmp(d["algorithm"].c_str(), "MD5") != 0)) {
    return Refused(403);
  }
  std::optional<uint32_t> nc;
  if (!qop.empty()) {
    nc = ParseNonceCount(d["nc"]);
    if (strcasecmp(qop.c_str(), "auth") != 0 || !nc || d["cnonce"].empty()) return Refused(403);
  }
  // A digest for another request (another URI) is not one for this request.
  if (!SameUri(d["uri"], req.request_uri)) return Refused(403);
  if (!digest_right) {
    // A wrong password on a nonce we never gave (or that expired) is asked
    // again; on a live nonce it is refused.
    return NonceKnown(d["nonce"], now) ? Refused(403) : Challenge(now, false);
  }
  // Right credentials on an old nonce, or sent again: a fresh challenge
  // (stale: the phone answers it without asking anyone for the password).
  if (UseNonce(d["nonce"], nc, now) != NonceUse::kFresh) return Challenge(now, true);

  RegisterReply ok;
  ok.status = 200;
  MutexLock lock(mu_);
  if (req.contact == "*" || (req.expires && *req.expires == 0)) {
    bindings_.erase(user);
    return ok;
  }
  if (!req.contact.empty()) {
    const auto secs = std::clamp<long>(req.expires.value_or(kMaxExpires.count()),
                                       kMinExpires.count(), kMaxExpires.count());
    bindings_[user] = Binding{req.contact, now + std::chrono::seconds(secs)};
  }
  auto it = bindings_.find(user);
  if (it != bindings_.end() && it->second.expires_at > now) {
    ok.contact = it->second.contact;
    ok.expires = static_cast<unsigned>(
        std::chrono::duration_cast<std::chrono::seconds>(it->second.expires_at - now).count());
  }
  return ok;
}

std::optional<std::string> OperatorRegistrar::ContactOf(const std::string& id, Time now) const {
  MutexLock lock(mu_);
  auto it = bindings_.find(id);
  if (it == bindings_.end() || it->second.expires_at <= now) return std::nullopt;
  return it->second.contact;
}

}  // namespace gosline::telephony
