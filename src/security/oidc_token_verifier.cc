#include "security/oidc_token_verifier.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "security/encoding.h"

namespace gosline::security {
namespace {

using nlohmann::json;

Status Refused(const std::string& why) { return Status::Unauthenticated("invalid token: " + why); }

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

// JWS carries an ES256 signature as r || s (32 bytes each); OpenSSL verifies DER.
std::optional<std::string> EcdsaDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + 32), 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool SignatureValid(const JsonWebKey& key, std::string_view signed_part, std::string_view signature) {
  std::string sig(signature);
  if (key.alg == "ES256") {
    auto der = EcdsaDer(signature);
    if (!der) return false;
    sig = std::move(*der);
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

std::optional<json> DecodeJsonPart(std::string_view part) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  json doc = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

// A NumericDate claim as a time; nullopt when absent or not a number.
std::optional<Time> DateClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  const double seconds = it->get<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 32503680000.0) return std::nullopt;  // < year 3000
  return FromUnixMillis(static_cast<int64_t>(seconds * 1000));
}

bool AudienceMatches(const json& claims, const std::string& audience) {
  auto it = claims.find("aud");
  if (it == claims.end()) return false;
  if (it->is_string()) return it->get<std::string>() == audience;
  if (!it->is_array()) return false;
  for (const json& a : *it) {
    if (a.is_string() && a.get<std::string>() == audience) return true;
  }
  return false;
}

bool PrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

JwksCache::JwksCache(std::vector<Fetch> sources, Duration min_refresh, Duration max_age)
    : sources_(std::move(sources)), min_refresh_(min_refresh), max_age_(max_age) {}

std::shared_ptr<const JsonWebKeySet> JwksCache::Current(std::optional<Time>& fetched_at) {
  MutexLock lock(mu_);
  fetched_at = fetched_at_;
  return keys_;
}

Status JwksCache::Refresh(Time now) {
  MutexLock fetching(refresh_mu_);
  {
    MutexLock lock(mu_);
    tried_at_ = now;
  }
  // Every source's keys in one set; a source that fails or is no JWKS is
  // skipped while another still gives keys.
  json merged = json::array();
  Status last = Status::Unavailable("no JWKS source configured");
  bool any_source = false;
  for (const Fetch& fetch : sources_) {
    Result<std::string> doc = fetch();
    if (!doc.ok()) {
      last = doc.status();
      continue;
    }
    json parsed = json::parse(*doc, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("keys") ||
        !parsed["keys"].is_array()) {
      last = Status::InvalidArgument("not a JSON Web Key Set (expected {\"keys\": [...]})");
      continue;
    }
    for (json& k : parsed["keys"]) merged.push_back(std::move(k));
    any_source = true;
  }
  if (!any_source) return last;
  Result<JsonWebKeySet> all = JsonWebKeySet::Parse(json{{"keys", std::move(merged)}}.dump());
  if (!all.ok()) return all.status();
  auto set = std::make_shared<const JsonWebKeySet>(std::move(all).value());
  MutexLock lock(mu_);
  keys_ = std::move(set);
  fetched_at_ = now;
  return Status::Ok();
}

Result<JsonWebKey> JwksCache::Find(const std::string& kid, Time now) {
  std::optional<Time> fetched_at;
  std::shared_ptr<const JsonWebKeySet> keys = Current(fetched_at);
  const bool stale = !fetched_at || now - *fetched_at >= max_age_;
  const JsonWebKey* key = keys ? keys->Find(kid) : nullptr;
  if (key != nullptr && !stale) return *key;
  bool may_fetch = false;
  {
    MutexLock lock(mu_);
    may_fetch = !tried_at_ || now - *tried_at_ >= min_refresh_ || now < *tried_at_;
  }
  if (may_fetch) {
    Status refreshed = Refresh(now);
    if (!refreshed.ok() && !keys) return Status::Unavailable("the identity provider's keys: " + refreshed.message());
    keys = Current(fetched_at);
    key = keys ? keys->Find(kid) : nullptr;
  }
  if (key == nullptr) return Status::NotFound("no published key has this kid");
  return *key;
}

OidcTokenVerifier::OidcTokenVerifier(OidcSettings settings, std::shared_ptr<JwksCache> keys)
    : settings_(std::move(settings)), keys_(std::move(keys)) {}

Result<CitizenIdentity> OidcTokenVerifier::Verify(std::string_view token, Time now) const {
  if (token.empty() || token.size() > kMaxTokenBytes) return Refused("missing or too long");
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Refused("not a signed JWT (header.payload.signature)");
  }
  std::optional<json> header = DecodeJsonPart(token.substr(0, dot1));
  if (!header) return Refused("malformed header");
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) return Refused("no algorithm");
  const std::string algorithm = alg->get<std::string>();
  // Only the provider's asymmetric algorithms: "none" and HMAC (whose
  // "secret" an attacker would take from our public key) never pass.
  if (algorithm != "RS256" && algorithm != "ES256") return Refused("algorithm " + algorithm + " not accepted");
  if (auto crit = header->find("crit"); crit != header->end()) return Refused("unsupported critical header");
  auto kid = header->find("kid");
  if (kid == header->end() || !kid->is_string() || kid->get<std::string>().empty()) {
    return Refused("no key id (kid)");
  }
  Result<JsonWebKey> key = keys_->Find(kid->get<std::string>(), now);
  if (!key.ok()) {
    if (key.status().code() == Status::Code::kUnavailable) return key.status();
    return Refused("unknown key id");
  }
  if (key->alg != algorithm) return Refused("the key is not for " + algorithm);
  std::optional<std::string> signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!signature || signature->empty()) return Refused("malformed signature");
  if (!SignatureValid(*key, token.substr(0, dot2), *signature)) return Refused("bad signature");

  // Claims are read only once the signature holds.
  std::optional<json> claims = DecodeJsonPart(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return Refused("malformed payload");
  auto iss = claims->find("iss");
  if (iss == claims->end() || !iss->is_string() || iss->get<std::string>() != settings_.issuer) {
    return Refused("wrong issuer");
  }
  if (!AudienceMatches(*claims, settings_.audience)) return Refused("wrong audience");
  std::optional<Time> exp = DateClaim(*claims, "exp");
  if (!exp) return Refused("no expiry (exp)");
  if (now > *exp + settings_.leeway) return Refused("expired");
  if (claims->contains("nbf")) {
    std::optional<Time> nbf = DateClaim(*claims, "nbf");
    if (!nbf) return Refused("malformed nbf");
    if (now + settings_.leeway < *nbf) return Refused("not valid yet (nbf)");
  }
  auto sub = claims->find("sub");
  if (sub == claims->end() || !sub->is_string()) return Refused("no subject");
  CitizenIdentity who;
  who.subject = sub->get<std::string>();
  if (who.subject.empty() || who.subject.size() > kMaxSubjectBytes || !PrintableAscii(who.subject)) {
    return Refused("malformed subject");
  }
  who.expires_at = *exp;
  auto phone = claims->find("phone_number");
  auto verified = claims->find("phone_number_verified");
  if (phone != claims->end() && phone->is_string() && verified != claims->end() &&
      verified->is_boolean() && verified->get<bool>()) {
    who.phone_number = phone->get<std::string>();
  }
  return who;
}

}  // namespace gosline::security
