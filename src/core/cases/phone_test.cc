#include "core/cases/phone.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

TEST(Phone, R14_RussianFormsNormaliseToE164) {
  for (const char* in : {"+7 916 123-45-67", "89161234567", "79161234567", "8 (916) 123 45 67",
                         "+79161234567", "+7(916)123-45-67", "8-916-123-45-67", "8.916.123.45.67",
                         "  +7 916 1234567  "}) {
    EXPECT_EQ(NormalizePhone(in), "+79161234567") << in;
  }
}

TEST(Phone, RussianNumbersNeedTenNationalDigits) {
  for (const char* in : {"+7916123456", "+791612345678", "8916123456", "891612345678",
                         "7916123456", "9161234567", "69161234567"}) {
    EXPECT_FALSE(NormalizePhone(in)) << in;
  }
}

TEST(Phone, InternationalNumbersNeedPlus) {
  EXPECT_EQ(NormalizePhone("+375 29 123-45-67"), "+375291234567");   // Belarus
  EXPECT_EQ(NormalizePhone("+49 30 1234567"), "+49301234567");       // Germany
  EXPECT_EQ(NormalizePhone("+12345678"), "+12345678");               // 8 digits: minimum
  EXPECT_EQ(NormalizePhone("+123456789012345"), "+123456789012345"); // 15 digits: maximum
  EXPECT_FALSE(NormalizePhone("+1234567"));                          // 7 digits
  EXPECT_FALSE(NormalizePhone("+1234567890123456"));                 // 16 digits
  EXPECT_FALSE(NormalizePhone("375291234567"));                      // no '+'
  EXPECT_FALSE(NormalizePhone("+0123456789"));                       // no country code 0
}

TEST(Phone, RejectsJunk) {
  for (const char* in : {"", "+", "abc", "8916123456a", "++79161234567", "7+9161234567",
                         "8 916 123 45 67 ext 2", "+7\n9161234567", "+7_916_123_45_67"}) {
    EXPECT_FALSE(NormalizePhone(in)) << in;
  }
  EXPECT_FALSE(NormalizePhone(std::string(100, '8')));
  EXPECT_FALSE(NormalizePhone("8" + std::string(100, ' ') + "9161234567"));
}

TEST(Phone, NormalisedFormIsAFixedPoint) {
  for (const char* in : {"89161234567", "+375291234567", "+12345678"}) {
    auto once = NormalizePhone(in);
    ASSERT_TRUE(once) << in;
    EXPECT_EQ(NormalizePhone(*once), once);
  }
}

}  // namespace
}  // namespace gosline
