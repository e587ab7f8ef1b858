#include "telephony/operator_registrar.h"

#include <sofia-sip/auth_digest.h>
#include <strings.h>

#include <algorithm>
#include <random>

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

std::string RandomHex(size_t bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng() & 0xFF);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// Constant time, so the response cannot be guessed byte by byte.
bool SameText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
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
    : realm_(std::move(realm)), passwords_(std::move(passwords)) {}

RegisterReply OperatorRegistrar::Challenge(Time now, bool stale) {
  const std::string nonce = RandomHex(16);
  {
    MutexLock lock(mu_);
    // Bounded: old nonces go first; a flood of unauthenticated REGISTERs
    // cannot grow this without limit.
    for (auto it = nonces_.begin(); it != nonces_.end();) {
      it = (now - it->second > kNonceLifetime) ? nonces_.erase(it) : std::next(it);
    }
    if (nonces_.size() >= 10000) nonces_.erase(nonces_.begin());
    nonces_[nonce] = now;
  }
  RegisterReply r;
  r.status = 401;
  r.www_authenticate = "Digest realm=\"" + realm_ + "\", nonce=\"" + nonce +
                       "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : "");
  return r;
}

bool OperatorRegistrar::NonceValid(const std::string& nonce, Time now) const {
  MutexLock lock(mu_);
  auto it = nonces_.find(nonce);
  return it != nonces_.end() && now - it->second <= kNonceLifetime;
}

RegisterReply OperatorRegistrar::OnRegister(const RegisterRequest& req, Time now) {
  if (!IsOperator(req.aor_user)) {
    RegisterReply r;
    r.status = 404;
    return r;
  }
  if (!req.digest) return Challenge(now, false);
  std::map<std::string, std::string> d = ParseDigestParams(*req.digest);
  const std::string& user = d["username"];
  if (user != req.aor_user || d["realm"] != realm_ || d["response"].empty() ||
      (!d["algorithm"].empty() && strcasecmp(d["algorithm"].c_str(), "MD5") != 0)) {
    RegisterReply r;
    r.status = 403;
    return r;
  }
  if (!NonceValid(d["nonce"], now)) return Challenge(now, true);
  const std::string qop = d["qop"];
  if (!qop.empty() && strcasecmp(qop.c_str(), "auth") != 0) {
    RegisterReply r;
    r.status = 403;
    return r;
  }
  const std::string expected =
      DigestResponse(user, realm_, passwords_.at(user), "REGISTER", d["uri"], d["nonce"], qop,
                     d["nc"], d["cnonce"]);
  if (!SameText(Lower(d["response"]), expected)) {
    RegisterReply r;
    r.status = 403;
    return r;
  }

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
