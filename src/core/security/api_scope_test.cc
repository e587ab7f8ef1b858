#include "core/security/api_scope.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

TEST(ApiScopeTest, R20ParsesAndChecksScopes) {
  Result<ScopeSet> s = ScopeSet::Parse("cases:write, cases:read");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->Has("cases:read"));
  EXPECT_TRUE(s->Has("cases:write"));
  EXPECT_FALSE(s->Has("export:read"));
  EXPECT_EQ(s->ToString(), "cases:read cases:write");
  // The canonical form parses back to the same set.
  Result<ScopeSet> again = ScopeSet::Parse(s->ToString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->scopes(), s->scopes());
}

TEST(ApiScopeTest, R20RefusesUnknownScopesAndWildcards) {
  for (const char* bad : {"cases:*", "*", "admin", "cases:read cases:delete", "CASES:READ"}) {
    Result<ScopeSet> s = ScopeSet::Parse(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().field(), "scopes") << bad;
  }
  EXPECT_FALSE(ScopeSet::Parse("").ok());
  EXPECT_FALSE(ScopeSet::Parse(" , ").ok());
}

TEST(ApiScopeTest, HostileInputIsNotEchoedRaw) {
  Result<ScopeSet> s = ScopeSet::Parse(std::string("cases:read\x1b[31m';DROP TABLE keys;--"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find('\x1b'), std::string::npos);
  EXPECT_FALSE(ScopeSet::Parse(std::string(5000, 'a')).ok());
}

}  // namespace
}  // namespace gosline::security
