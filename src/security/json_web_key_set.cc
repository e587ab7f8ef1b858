#include "security/json_web_key_set.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "security/encoding.h"

namespace gosline::security {
namespace {

using nlohmann::json;

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

std::optional<std::string> Member(const json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::string> DecodedMember(const json& jwk, const char* name) {
  auto text = Member(jwk, name);
  if (!text || text->empty()) return std::nullopt;
  return Base64UrlDecode(*text);
}

std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> RsaKey(const json& jwk) {
  auto n = DecodedMember(jwk, "n");
  auto e = DecodedMember(jwk, "e");
  if (!n || !e || n->size() < 256 || n->size() > 1024 || e->size() > 8) return nullptr;  // 2048..8192 bits
  std::unique_ptr<BIGNUM, BnFree> bn_n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> bn_e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  return params ? FromParams("RSA", params.get()) : nullptr;
}

std::shared_ptr<EVP_PKEY> P256Key(const json& jwk) {
  if (Member(jwk, "crv") != "P-256") return nullptr;
  auto x = DecodedMember(jwk, "x");
  auto y = DecodedMember(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size())) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  return params ? FromParams("EC", params.get()) : nullptr;
}

}  // namespace

Result<JsonWebKeySet> JsonWebKeySet::Parse(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return Status::InvalidArgument("not a JSON Web Key Set (expected {\"keys\": [...]})");
  }
  JsonWebKeySet set;
  for (const json& jwk : doc["keys"]) {
    if (!jwk.is_object()) continue;
    auto kid = Member(jwk, "kid");
    auto kty = Member(jwk, "kty");
    auto use = Member(jwk, "use");
    if (!kid || kid->empty() || !kty || (use && *use != "sig")) continue;
    JsonWebKey key;
    key.kid = *kid;
    if (*kty == "RSA") {
      key.alg = "RS256";
      key.key = RsaKey(jwk);
    } else if (*kty == "EC") {
      key.alg = "ES256";
      key.key = P256Key(jwk);
    }
    // A key that names another algorithm is not used for ours.
    if (auto alg = Member(jwk, "alg"); alg && *alg != key.alg) continue;
    if (key.key) set.keys_.emplace(key.kid, std::move(key));
  }
  return set;
}

const JsonWebKey* JsonWebKeySet::Find(const std::string& kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace gosline::security
