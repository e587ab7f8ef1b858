#include "security/oidc_token_verifier.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "security/encoding.h"

namespace gosline::security {
namespace {

using nlohmann::json;

constexpr const char* kIssuer = "https://esia.example.gov";
constexpr const char* kAudience = "gosline-citizen-api";
const Time kNow = FromUnixMillis(1'800'000'000'000);

int64_t Seconds(Time t) { return ToUnixMillis(t) / 1000; }

// A key pair made for the test, published as a JWK and signing tokens.
struct TestKey {
  std::shared_ptr<EVP_PKEY> pkey;
  std::string alg;
  std::string kid;

  static TestKey Rsa(std::string kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}),
                                      EVP_PKEY_free),
            "RS256", std::move(kid)};
  }
  static TestKey P256(std::string kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                      EVP_PKEY_free),
            "ES256", std::move(kid)};
  }

  static std::string Bn(EVP_PKEY* k, const char* name, size_t pad = 0) {
    BIGNUM* bn = nullptr;
    EXPECT_EQ(EVP_PKEY_get_bn_param(k, name, &bn), 1);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    if (out.size() < pad) out.insert(0, pad - out.size(), '\0');
    return out;
  }

  json Jwk() const {
    if (alg == "RS256") {
      return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
              {"n", Base64UrlEncode(Bn(pkey.get(), OSSL_PKEY_PARAM_RSA_N))},
              {"e", Base64UrlEncode(Bn(pkey.get(), OSSL_PKEY_PARAM_RSA_E))}};
    }
    return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"},
            {"x", Base64UrlEncode(Bn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
            {"y", Base64UrlEncode(Bn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
  }

  std::string Sign(std::string_view input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey.get());
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (alg != "ES256") return sig;
    // DER -> r || s, as JWS carries it.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data() + 32), 32);
    ECDSA_SIG_free(es);
    return raw;
  }
};

json Claims() {
  return {{"iss", kIssuer}, {"aud", kAudience}, {"sub", "portal-1001"},
          {"exp", Seconds(kNow) + 600}, {"iat", Seconds(kNow)},
          {"phone_number", "+79161234567"}, {"phone_number_verified", true}};
}

std::string Token(const TestKey& key, const json& claims, json header = nullptr) {
  if (header.is_null()) header = {{"alg", key.alg}, {"kid", key.kid}, {"typ", "JWT"}};
  const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  return input + "." + Base64UrlEncode(key.Sign(input));
}

class OidcTokenVerifierTest : public ::testing::Test {
 protected:
  OidcTokenVerifierTest() {
    keys_ = std::make_shared<JwksCache>(std::vector<JwksCache::Fetch>{[this]() -> Result<std::string> {
      ++fetches_;
      return jwks_.dump();
    }});
    verifier_ = std::make_unique<OidcTokenVerifier>(OidcSettings{kIssuer, kAudience}, keys_);
    jwks_ = {{"keys", {rsa_.Jwk(), ec_.Jwk()}}};
  }

  Status Check(const std::string& token, Time at = kNow) { return verifier_->Verify(token, at).status(); }

  TestKey rsa_ = TestKey::Rsa("rsa-2026");
  TestKey ec_ = TestKey::P256("ec-2026");
  json jwks_;
  std::atomic<int> fetches_{0};
  std::shared_ptr<JwksCache> keys_;
  std::unique_ptr<OidcTokenVerifier> verifier_;
};

TEST_F(OidcTokenVerifierTest, R26AcceptsRs256AndEs256FromTheProvider) {
  for (const TestKey* key : {&rsa_, &ec_}) {
    Result<CitizenIdentity> who = verifier_->Verify(Token(*key, Claims()), kNow);
    ASSERT_TRUE(who.ok()) << key->alg << ": " << who.status().ToString();
    EXPECT_EQ(who->subject, "portal-1001");
    EXPECT_EQ(who->phone_number, "+79161234567");
  }
}

TEST_F(OidcTokenVerifierTest, R26AudienceMayBeAList) {
  json c = Claims();
  c["aud"] = {"another-app", kAudience};
  EXPECT_TRUE(Check(Token(rsa_, c)).ok());
}

TEST_F(OidcTokenVerifierTest, R26UnverifiedPhoneIsNotTrusted) {
  json c = Claims();
  c["phone_number_verified"] = false;
  Result<CitizenIdentity> who = verifier_->Verify(Token(rsa_, c), kNow);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->phone_number, "");
}

TEST_F(OidcTokenVerifierTest, R26BadSignatureIsRefused) {
  std::string token = Token(rsa_, Claims());
  // Same header and claims signed by a key the provider never published.
  TestKey impostor = TestKey::Rsa("rsa-2026");
  EXPECT_EQ(Check(Token(impostor, Claims())).code(), Status::Code::kUnauthenticated);
  // Claims changed after signing.
  json c = Claims();
  c["sub"] = "portal-2002";
  const size_t d1 = token.find('.'), d2 = token.rfind('.');
  std::string tampered = token.substr(0, d1 + 1) + Base64UrlEncode(c.dump()) + token.substr(d2);
  EXPECT_EQ(Check(tampered).code(), Status::Code::kUnauthenticated);
}

TEST_F(OidcTokenVerifierTest, R26WrongIssuerOrAudienceIsRefused) {
  json c = Claims();
  c["iss"] = "https://evil.example";
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: wrong issuer");
  c = Claims();
  c["aud"] = "another-app";
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: wrong audience");
  c.erase("aud");
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: wrong audience");
}

TEST_F(OidcTokenVerifierTest, R26ExpiryAndNotBeforeWithLeeway) {
  json c = Claims();
  c["exp"] = Seconds(kNow) - 30;  // within the 60 s leeway
  EXPECT_TRUE(Check(Token(rsa_, c)).ok());
  c["exp"] = Seconds(kNow) - 61;
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: expired");
  c.erase("exp");
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: no expiry (exp)");
  c = Claims();
  c["nbf"] = Seconds(kNow) + 30;
  EXPECT_TRUE(Check(Token(rsa_, c)).ok());
  c["nbf"] = Seconds(kNow) + 120;
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: not valid yet (nbf)");
}

TEST_F(OidcTokenVerifierTest, R26AlgNoneIsRefused) {
  const std::string unsigned_token = Base64UrlEncode(json{{"alg", "none"}, {"kid", "rsa-2026"}}.dump()) +
                                     "." + Base64UrlEncode(Claims().dump()) + ".";
  EXPECT_EQ(Check(unsigned_token).message(), "invalid token: algorithm none not accepted");
}

TEST_F(OidcTokenVerifierTest, R26Hs256SignedWithThePublicKeyIsRefused) {
  // The classic confusion: HMAC keyed with the RSA public key's bytes.
  const std::string secret = rsa_.Jwk().dump();
  const std::string input = Base64UrlEncode(json{{"alg", "HS256"}, {"kid", "rsa-2026"}}.dump()) + "." +
                            Base64UrlEncode(Claims().dump());
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  const std::string token = input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
  EXPECT_EQ(Check(token).message(), "invalid token: algorithm HS256 not accepted");
  // And RS256 claimed for the EC key (or the reverse) is refused too.
  json header = {{"alg", "RS256"}, {"kid", "ec-2026"}};
  EXPECT_EQ(Check(Token(rsa_, Claims(), header)).message(), "invalid token: the key is not for RS256");
}

TEST_F(OidcTokenVerifierTest, R26UnknownKidRefreshesOnceThenRefuses) {
  EXPECT_TRUE(Check(Token(rsa_, Claims())).ok());
  EXPECT_EQ(fetches_.load(), 1);
  TestKey stranger = TestKey::Rsa("never-published");
  const Time later = kNow + std::chrono::seconds(6);  // past the minimum refresh interval
  EXPECT_EQ(Check(Token(stranger, Claims()), later).message(), "invalid token: unknown key id");
  EXPECT_EQ(fetches_.load(), 2);
  // More unknown kids within the interval do not make us fetch again.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Check(Token(stranger, Claims()), later + std::chrono::seconds(1)).message(),
              "invalid token: unknown key id");
  }
  EXPECT_EQ(fetches_.load(), 2);
}

TEST_F(OidcTokenVerifierTest, R26RotatedKeyIsFetchedOnItsFirstToken) {
  EXPECT_TRUE(Check(Token(rsa_, Claims())).ok());
  TestKey next = TestKey::P256("ec-2027");
  jwks_["keys"].push_back(next.Jwk());
  EXPECT_TRUE(Check(Token(next, Claims()), kNow + std::chrono::minutes(1)).ok());
  EXPECT_TRUE(Check(Token(rsa_, Claims()), kNow + std::chrono::minutes(1)).ok());
}

TEST_F(OidcTokenVerifierTest, HostileMalformedTokensAreRefused) {
  const std::string good = Token(rsa_, Claims());
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"),
        std::string("!!!.???.***"), good + "x", good.substr(0, good.rfind('.')) + ".",
        std::string(kMaxTokenBytes + 1, 'a'),
        Base64UrlEncode("[1,2]") + "." + Base64UrlEncode("{}") + ".AAAA",
        Base64UrlEncode(R"({"alg":"RS256"})") + "." + Base64UrlEncode("{}") + ".AAAA",
        Base64UrlEncode(R"({"alg":"RS256","kid":7})") + "." + Base64UrlEncode("{}") + ".AAAA",
        Base64UrlEncode(R"({"alg":"ES256","kid":"ec-2026"})") + "." + Base64UrlEncode("{}") + ".AAAA"}) {
    EXPECT_EQ(Check(bad).code(), Status::Code::kUnauthenticated) << bad.substr(0, 80);
  }
}

TEST_F(OidcTokenVerifierTest, HostileSubjectIsRefused) {
  json c = Claims();
  c["sub"] = std::string(300, 'a');
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: malformed subject");
  c["sub"] = "a b";
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: malformed subject");
  c["sub"] = 42;
  EXPECT_EQ(Check(Token(rsa_, c)).message(), "invalid token: no subject");
}

TEST(JsonWebKeySetTest, HostileDocumentsAreRefusedOrSkipped) {
  EXPECT_FALSE(JsonWebKeySet::Parse("not json").ok());
  EXPECT_FALSE(JsonWebKeySet::Parse("[]").ok());
  EXPECT_FALSE(JsonWebKeySet::Parse(R"({"keys": 3})").ok());
  Result<JsonWebKeySet> odd = JsonWebKeySet::Parse(
      R"({"keys":[1,{"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"},{"kty":"oct","kid":"h","k":"c2VjcmV0"},)"
      R"({"kty":"EC","kid":"p384","crv":"P-384","x":"AA","y":"AA"}]})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->size(), 0u);
}

TEST(JwksCacheTest, UnreachableProviderIsUnavailableNotUnauthenticated) {
  auto keys = std::make_shared<JwksCache>(std::vector<JwksCache::Fetch>{
      []() -> Result<std::string> { return Status::Unavailable("connection refused"); }});
  OidcTokenVerifier verifier(OidcSettings{kIssuer, kAudience}, keys);
  TestKey key = TestKey::Rsa("k");
  EXPECT_EQ(verifier.Verify(Token(key, Claims()), kNow).status().code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace gosline::security
