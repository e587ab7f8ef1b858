#include "telephony/operator_passwords.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

TEST(OperatorPasswordsTest, ParsesLinesAndComments) {
  auto p = ParseOperatorPasswords("# c\nivanova:pa:ss\n\n petrov : x \n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->at("ivanova"), "pa:ss");
  EXPECT_EQ(p->at("petrov"), " x");
}

TEST(OperatorPasswordsTest, RejectsALineWithoutPassword) {
  EXPECT_FALSE(ParseOperatorPasswords("ivanova\n").ok());
  EXPECT_FALSE(ParseOperatorPasswords("ivanova:\n").ok());
}

TEST(OperatorPasswordsTest, CreatesThePrivateDemoFileOnceAndKeepsIt) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gosline-oppw-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string path = (dir / "var" / "operator-sip-passwords").string();
  auto first = LoadOperatorPasswords(path, {"ivanova", "petrov"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_GE(first->at("ivanova").size(), 16u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadOperatorPasswords(path, {"ivanova", "petrov", "sidorova"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);  // never rewritten
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(LoadOperatorPasswords(path, {}).ok());  // missing and nothing to create
}

}  // namespace
}  // namespace gosline::telephony
