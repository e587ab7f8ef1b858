#include "security/session_token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gosline::security {
namespace {

TEST(SessionTokenTest, R19TokensAreRandomAndStoredAsHashes) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) {
    IssuedToken t = NewSessionToken();
    EXPECT_EQ(t.token.size(), 43u);
    EXPECT_EQ(t.token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(t.hash.size(), 64u);
    EXPECT_NE(t.hash, t.token);
    Result<std::string> h = SessionTokenHash(t.token);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(*h, t.hash);
    tokens.insert(t.token);
  }
  EXPECT_EQ(tokens.size(), 100u);
}

TEST(SessionTokenTest, HostileForgedTokensNeverHashToAnIssuedOne) {
  IssuedToken real = NewSessionToken();
  // Right shape, one character changed: a valid lookup that finds nothing.
  std::string forged = real.token;
  forged[10] = forged[10] == 'A' ? 'B' : 'A';
  Result<std::string> h = SessionTokenHash(forged);
  ASSERT_TRUE(h.ok());
  EXPECT_NE(*h, real.hash);
  // The stored hash presented as a token is not a token.
  EXPECT_EQ(SessionTokenHash(real.hash).status().code(), Status::Code::kUnauthenticated);
  for (const std::string& bad :
       {std::string(""), real.token.substr(0, 42), real.token + "A", std::string(1 << 20, 'A'),
        std::string(43, '='), std::string(42, 'A') + "+", std::string(42, 'A') + '\0',
        std::string("' OR 1=1; --") + std::string(31, 'x')}) {
    EXPECT_EQ(SessionTokenHash(bad).status().code(), Status::Code::kUnauthenticated)
        << bad.substr(0, 20);
  }
}

}  // namespace
}  // namespace gosline::security
