#include "security/phone_index.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

const std::string kHex1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

std::shared_ptr<const KeyRing> Ring(const std::string& text) {
  Result<KeyRing> r = KeyRing::Parse(text, "test");
  EXPECT_TRUE(r.ok());
  return std::make_shared<const KeyRing>(std::move(*r));
}

TEST(PhoneIndexTest, R22SameNumberAnyShapeSameHashNoPlaintext) {
  PhoneIndex idx(Ring("k1:" + kHex1));
  Result<std::string> a = idx.Hash("+7 916 123-45-67");
  Result<std::string> b = idx.Hash("89161234567");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->rfind("k1.", 0), 0u);
  EXPECT_EQ(a->size(), 3u + 64u);
  EXPECT_EQ(a->find("9161234567"), std::string::npos);
  EXPECT_NE(*idx.Hash("+79161234568"), *a);
}

TEST(PhoneIndexTest, R22KeyedSoAnotherKeyGivesAnotherHash) {
  // Without the key, hashing all ten-digit numbers does not reverse the index.
  std::string h1 = *PhoneIndex(Ring("k1:" + kHex1)).Hash("+79161234567");
  std::string h2 = *PhoneIndex(Ring("k1:" + kHex2)).Hash("+79161234567");
  EXPECT_NE(h1, h2);
}

TEST(PhoneIndexTest, R22LookupCoversRowsNotYetRotated) {
  std::string old_row = *PhoneIndex(Ring("old:" + kHex1)).Hash("+79161234567");
  PhoneIndex idx(Ring("old:" + kHex1 + "\nnew:" + kHex2));
  Result<std::vector<std::string>> all = idx.LookupHashes("8 916 123 45 67");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], *idx.Hash("+79161234567"));  // active first
  EXPECT_EQ((*all)[1], old_row);
  EXPECT_TRUE(idx.NeedsRotation(old_row));
  EXPECT_FALSE(idx.NeedsRotation((*all)[0]));
}

TEST(PhoneIndexTest, HostileInputIsNotAPhone) {
  PhoneIndex idx(Ring("k1:" + kHex1));
  for (const std::string& bad : {std::string(""), std::string("' OR 1=1 --"), std::string(1 << 20, '9'),
                                 std::string("+7916\0" "1234567", 12)}) {
    EXPECT_EQ(idx.Hash(bad).status().field(), "phone");
    EXPECT_FALSE(idx.LookupHashes(bad).ok());
  }
}

}  // namespace
}  // namespace gosline::security
