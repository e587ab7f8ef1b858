#include "security/password_hasher.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

// Tests use the minimum limits: the algorithm is the same, only cheaper.
PasswordHasher Fast() { return PasswordHasher(PasswordHashLimits::Minimum()); }

TEST(PasswordHasherTest, R19HashIsArgon2idAndVerifies) {
  PasswordHasher h = Fast();
  Result<std::string> hash = h.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  Result<bool> good = h.Verify(*hash, "correct horse battery");
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(*good);
  Result<bool> bad = h.Verify(*hash, "correct horse batterY");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(*bad);
}

TEST(PasswordHasherTest, SaltedSoEqualPasswordsHashDifferently) {
  PasswordHasher h = Fast();
  Result<std::string> a = h.Hash("same password here");
  Result<std::string> b = h.Hash("same password here");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasherTest, NeedsRehashWhenLimitsChange) {
  PasswordHasher fast = Fast();
  Result<std::string> hash = fast.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(fast.NeedsRehash(*hash));
  PasswordHasher stronger(PasswordHashLimits{2, 16u << 10});
  EXPECT_TRUE(stronger.NeedsRehash(*hash));
  // The old hash still verifies under the new hasher (limits are in the string).
  Result<bool> ok = stronger.Verify(*hash, "correct horse battery");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(*ok);
  EXPECT_TRUE(fast.NeedsRehash("not a hash"));
}

TEST(PasswordHasherTest, PasswordsWithNulBytesAreWhole) {
  PasswordHasher h = Fast();
  std::string pw("abc\0defghijklmn", 15);
  Result<std::string> hash = h.Hash(pw);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(*h.Verify(*hash, pw));
  EXPECT_FALSE(*h.Verify(*hash, "abc"));  // not cut at the NUL
}

TEST(PasswordHasherTest, HostileOversizedPasswordAndDamagedHash) {
  PasswordHasher h = Fast();
  std::string huge(10u << 20, 'a');
  EXPECT_EQ(h.Hash(huge).status().code(), Status::Code::kInvalidArgument);
  Result<std::string> hash = h.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  Result<bool> v = h.Verify(*hash, huge);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(*v);
  for (std::string bad : {std::string(""), std::string("$2y$10$abcdefghijklmnopqrstuv"),
                          std::string("$argon2id$") + std::string(5000, 'x'),
                          std::string("' OR 1=1 --")}) {
    EXPECT_EQ(h.Verify(bad, "x").status().code(), Status::Code::kCorruption) << bad.substr(0, 20);
  }
  // A truncated argon2id string verifies nothing.
  Result<bool> cut = h.Verify(hash->substr(0, hash->size() - 5), "correct horse battery");
  EXPECT_TRUE(!cut.ok() || !*cut);
}

}  // namespace
}  // namespace gosline::security
