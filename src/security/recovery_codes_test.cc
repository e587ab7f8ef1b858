#include "security/recovery_codes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gosline::security {
namespace {

TEST(RecoveryCodesTest, R19TenDistinctCodesStoredOnlyAsHashes) {
  RecoveryCodes rc = NewRecoveryCodes();
  ASSERT_EQ(rc.codes.size(), 10u);
  ASSERT_EQ(rc.hashes.size(), 10u);
  std::set<std::string> distinct(rc.codes.begin(), rc.codes.end());
  EXPECT_EQ(distinct.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(rc.codes[i].size(), 19u) << rc.codes[i];  // 16 characters, 3 dashes
    EXPECT_EQ(rc.hashes[i].size(), 64u);
    EXPECT_EQ(rc.hashes[i].find(rc.codes[i].substr(0, 4)), std::string::npos);
  }
}

TEST(RecoveryCodesTest, R19EachCodeWorksOnceWhenTheCallerDeletesIt) {
  RecoveryCodes rc = NewRecoveryCodes();
  std::vector<std::string> stored = rc.hashes;
  std::optional<size_t> i = MatchRecoveryCode(rc.codes[3], stored);
  ASSERT_EQ(i, 3u);
  stored.erase(stored.begin() + static_cast<std::ptrdiff_t>(*i));
  EXPECT_EQ(MatchRecoveryCode(rc.codes[3], stored), std::nullopt);
  // The others still work.
  EXPECT_TRUE(MatchRecoveryCode(rc.codes[4], stored).has_value());
}

TEST(RecoveryCodesTest, TypingIsForgiving) {
  RecoveryCodes rc = NewRecoveryCodes(1);
  std::string code = rc.codes[0];
  std::string upper;
  for (char c : code) {
    if (c == '-') continue;
    upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  EXPECT_EQ(MatchRecoveryCode(upper, rc.hashes), 0u);
  EXPECT_EQ(MatchRecoveryCode(" " + code.substr(0, 9) + " " + code.substr(10), rc.hashes), 0u);
}

TEST(RecoveryCodesTest, HostileGuessesMatchNothing) {
  RecoveryCodes rc = NewRecoveryCodes();
  for (const std::string& bad :
       {std::string(""), std::string("aaaa-aaaa-aaaa-aaaa"), std::string(1 << 16, 'a'),
        rc.codes[0] + "a", rc.codes[0].substr(0, 18), std::string("' OR 1=1 --"),
        std::string("abcd-efgh-ijkl-mno1")}) {
    EXPECT_EQ(MatchRecoveryCode(bad, rc.hashes), std::nullopt) << bad.substr(0, 20);
  }
  // A stored hash typed in as a code is not a code.
  EXPECT_EQ(MatchRecoveryCode(rc.hashes[0], rc.hashes), std::nullopt);
}

}  // namespace
}  // namespace gosline::security
