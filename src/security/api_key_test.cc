#include "security/api_key.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

ScopeSet Scopes(const char* text) {
  Result<ScopeSet> s = ScopeSet::Parse(text);
  EXPECT_TRUE(s.ok());
  return s.ok() ? *s : ScopeSet();
}

TEST(ApiKeyTest, R19KeyIsShownOnceAndStoredHashed) {
  IssuedApiKey k = NewApiKey(Scopes("cases:read status:read"));
  EXPECT_EQ(k.key.rfind("gsk_" + k.id + "_", 0), 0u) << k.key;
  EXPECT_EQ(k.id.size(), 12u);
  EXPECT_EQ(k.secret_hash.size(), 64u);
  EXPECT_EQ(k.key.find(k.secret_hash), std::string::npos);
  Result<PresentedApiKey> p = ParseApiKey(k.key);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, k.id);
  EXPECT_TRUE(ApiKeySecretMatches(*p, k.secret_hash));
  EXPECT_TRUE(k.scopes.Has("cases:read"));
  EXPECT_FALSE(k.scopes.Has("cases:write"));
}

TEST(ApiKeyTest, KeysAreUnique) {
  IssuedApiKey a = NewApiKey(Scopes("cases:read"));
  IssuedApiKey b = NewApiKey(Scopes("cases:read"));
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.key, b.key);
}

TEST(ApiKeyTest, HostileForgedKeyWithARealIdFails) {
  IssuedApiKey real = NewApiKey(Scopes("cases:write"));
  IssuedApiKey other = NewApiKey(Scopes("cases:read"));
  // The real id with someone else's secret: well-formed, but no match.
  std::string forged = "gsk_" + real.id + other.key.substr(16);
  Result<PresentedApiKey> p = ParseApiKey(forged);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id, real.id);
  EXPECT_FALSE(ApiKeySecretMatches(*p, real.secret_hash));
  // The stored hash is not a usable secret either.
  EXPECT_FALSE(ApiKeySecretMatches(PresentedApiKey{real.id, real.secret_hash}, real.secret_hash));
}

TEST(ApiKeyTest, HostileMalformedKeysAreRefusedBeforeLookup) {
  IssuedApiKey k = NewApiKey(Scopes("cases:read"));
  std::string upper_id = k.key;
  upper_id[5] = 'A';
  for (const std::string& bad :
       {std::string(""), k.key.substr(0, k.key.size() - 1), k.key + "x", "GSK_" + k.key.substr(4),
        upper_id, std::string(1 << 20, 'g'), k.key.substr(0, 16) + "-" + k.key.substr(17),
        "gsk_' OR 1=1 --_" + std::string(43, 'a')}) {
    EXPECT_EQ(ParseApiKey(bad).status().code(), Status::Code::kUnauthenticated) << bad.substr(0, 24);
  }
}

}  // namespace
}  // namespace gosline::security
