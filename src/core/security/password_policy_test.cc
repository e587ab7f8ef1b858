#include "core/security/password_policy.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

TEST(PasswordPolicyTest, R19AcceptsALongUncommonPassword) {
  EXPECT_TRUE(CheckPassword("correct horse battery", "ivanov").ok());
  EXPECT_TRUE(CheckPassword("Зимний-вечер-42", "ivanov").ok());
}

TEST(PasswordPolicyTest, R19RefusesShortPasswords) {
  Status st = CheckPassword("Sh0rt!pass", "ivanov");
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "password");
  EXPECT_NE(st.message().find("12 characters"), std::string::npos);
  // Exactly 11 and 12 characters: the boundary.
  EXPECT_FALSE(CheckPassword("abcdefghijk", "x").ok());
  EXPECT_TRUE(CheckPassword("abcdefghijkl", "x").ok());
}

TEST(PasswordPolicyTest, CountsCyrillicByCharactersNotBytes) {
  // 11 Cyrillic letters are 22 bytes but still too short.
  EXPECT_FALSE(CheckPassword("абвгдежзийк", "x").ok());
  EXPECT_TRUE(CheckPassword("абвгдежзийкл", "x").ok());
}

TEST(PasswordPolicyTest, RefusesCommonPasswordsWhateverTheCase) {
  EXPECT_FALSE(CheckPassword("password1234", "ivanov").ok());
  EXPECT_FALSE(CheckPassword("PassWord1234", "ivanov").ok());
  EXPECT_FALSE(CheckPassword("йцукенгшщзхъ", "ivanov").ok());
  EXPECT_FALSE(CheckPassword("1q2w3e4r5t6y", "ivanov").ok());
}

TEST(PasswordPolicyTest, RefusesThePasswordEqualToTheLogin) {
  Status st = CheckPassword("Supervisor.Petrova", "supervisor.petrova");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("login"), std::string::npos);
}

TEST(PasswordPolicyTest, RefusesRepeatedCharacters) {
  EXPECT_FALSE(CheckPassword("zzzzzzzzzzzzzzzz", "x").ok());
  EXPECT_FALSE(CheckPassword("abcabcabcabc", "x").ok());
  EXPECT_TRUE(CheckPassword("abcdabcdabcd", "x").ok());
}

TEST(PasswordPolicyTest, HostileRefusesOversizedInputWithoutEchoingIt) {
  std::string huge(1'000'000, 'x');
  huge += "SECRET";
  Status st = CheckPassword(huge, "x");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message().find("SECRET"), std::string::npos);
  EXPECT_LT(st.message().size(), 200u);
}

}  // namespace
}  // namespace gosline::security
