#include "config/postgres_password.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace gosline {
namespace {

namespace fs = std::filesystem;

class PostgresPasswordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-pgpass-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& text, mode_t mode) {
    const std::string path = (dir_ / "pg.pass").string();
    std::ofstream(path) << text;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }

  fs::path dir_;
};

TEST_F(PostgresPasswordTest, R22_OwnerOnlyFileGivesItsFirstLine) {
  Result<std::string> p = ReadPostgresPassword(Write("s3cret pass\nignored\n", 0600));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, "s3cret pass");
  EXPECT_EQ(*ReadPostgresPassword(Write("crlf\r\n", 0400)), "crlf");
}

TEST_F(PostgresPasswordTest, R22_FileThatGroupOrOthersMayReadIsRefused) {
  for (mode_t mode : {0640, 0604, 0644, 0660}) {
    Result<std::string> p = ReadPostgresPassword(Write("s3cret\n", mode));
    ASSERT_FALSE(p.ok()) << std::oct << mode;
    EXPECT_EQ(p.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(p.status().message().find("chmod 600"), std::string::npos) << p.status().message();
    EXPECT_EQ(p.status().message().find("s3cret"), std::string::npos);  // never echoed
  }
}

TEST_F(PostgresPasswordTest, MissingOrEmptyFileIsAnError) {
  EXPECT_EQ(ReadPostgresPassword((dir_ / "none").string()).status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(ReadPostgresPassword(Write("", 0600)).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ReadPostgresPassword(Write("\nsecond line\n", 0600)).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(ConnInfoHasPassword, FindsAPasswordInEitherForm) {
  EXPECT_FALSE(ConnInfoHasPassword("host=/run/postgresql dbname=gosline user=gosline"));
  EXPECT_FALSE(ConnInfoHasPassword("postgresql://gosline@db.internal:5432/gosline"));
  EXPECT_FALSE(ConnInfoHasPassword("host=db passfile=/etc/gosline/pgpass"));
  EXPECT_TRUE(ConnInfoHasPassword("host=db password=x"));
  EXPECT_TRUE(ConnInfoHasPassword("password = 'x' host=db"));
  EXPECT_TRUE(ConnInfoHasPassword("postgresql://gosline:x@db/gosline"));
  EXPECT_TRUE(ConnInfoHasPassword("postgres://db/gosline?sslmode=require&password=x"));
}

}  // namespace
}  // namespace gosline
