#include "core/security/number_list.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

TEST(NumberListTest, R25ExactAndPrefixEntries) {
  NumberList list;
  ASSERT_TRUE(list.Add("8 (916) 123-45-67").ok());  // normalised to +79161234567
  ASSERT_TRUE(list.Add("+7800*").ok());
  EXPECT_TRUE(list.Matches("+79161234567"));
  EXPECT_FALSE(list.Matches("+79161234568"));
  EXPECT_TRUE(list.Matches("+78001007010"));
  EXPECT_FALSE(list.Matches("+78101007010"));
  EXPECT_FALSE(list.Matches("+7"));
  EXPECT_EQ(list.size(), 2u);
}

TEST(NumberListTest, HostileEntriesAndNumbersAreRefused) {
  NumberList list;
  for (const char* bad : {"*", "+*", "7916*", "+79a*", "'; DROP TABLE x; --", "",
                          "+12345678901234567*"}) {
    Status st = list.Add(bad);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_EQ(st.field(), "number") << bad;
  }
  EXPECT_EQ(list.size(), 0u);
  ASSERT_TRUE(list.Add("+7*").ok());
  EXPECT_FALSE(list.Matches(std::string(10'000, '7')));  // oversized: no match, no work
}

}  // namespace
}  // namespace gosline::security
