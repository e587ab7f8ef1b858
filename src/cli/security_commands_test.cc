// R19, R21: `gosline user`, `gosline apikey` and `gosline audit verify` as an
// administrator runs them, on the bundled configuration (its key and
// credential files moved into a temporary directory) and a real SQLite file.
#include "cli/security_commands.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/import_export_commands.h"

namespace gosline::cli {
namespace {

namespace fs = std::filesystem;

class SecurityCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_cli_sec_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ifstream demo(std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml");
    std::stringstream text;
    text << demo.rdbuf();
    std::string config = text.str();
    Replace(config, "key_file: var/keys/data.key", "key_file: " + (dir_ / "keys/data.key").string());
    Replace(config, "file: var/demo-credentials", "file: " + (dir_ / "demo-credentials").string());
    std::ofstream(dir_ / "gosline.yaml") << config;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void Replace(std::string& text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }
  CliContext Context() const {
    return {.config_path = (dir_ / "gosline.yaml").string(), .db_path = (dir_ / "cases.db").string()};
  }
  int AddUser(const std::string& login, const std::string& role, const std::string& password) {
    std::istringstream in(password + "\n");
    out_.str("");
    err_.str("");
    return RunUserAdd({.context = Context(), .login = login, .role = role, .name = "",
                       .password_stdin = true},
                      in, out_, err_);
  }
  int Verify() {
    out_.str("");
    err_.str("");
    return RunAuditVerify(Context(), "", out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(SecurityCommandTest, UserAddPrintsEnrolmentAndCreatesTheKeyOwnerOnly) {
  ASSERT_EQ(AddUser("ivanova", "operator", "correct horse battery"), 0) << err_.str();
  EXPECT_NE(out_.str().find("otpauth://totp/gosline:ivanova?secret="), std::string::npos);
  EXPECT_NE(out_.str().find("Recovery codes"), std::string::npos);
  EXPECT_NE(out_.str().find("\u2588"), std::string::npos) << "a terminal QR code";
  struct stat st{};
  ASSERT_EQ(::stat((dir_ / "keys/data.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(AddUser("ivanova", "operator", "correct horse battery"), 1);
  EXPECT_NE(err_.str().find("exists"), std::string::npos);
  EXPECT_EQ(AddUser("petrov", "root", "correct horse battery"), 1);
  EXPECT_NE(err_.str().find("role"), std::string::npos);
  EXPECT_EQ(AddUser("petrov", "operator", "short"), 1);
  EXPECT_NE(err_.str().find("password"), std::string::npos);
}

TEST_F(SecurityCommandTest, ApiKeyCreatePrintsTheKeyOnceAndRefusesUnknownScopes) {
  std::ostringstream out, err;
  ASSERT_EQ(RunApiKeyCreate(Context(), "cases:read", "crm", out, err), 0) << err.str();
  EXPECT_EQ(out.str().rfind("gsk_", 0), 0u);
  std::ostringstream out2, err2;
  EXPECT_EQ(RunApiKeyCreate(Context(), "cases:*", "crm", out2, err2), 2);
  EXPECT_TRUE(out2.str().empty());
}

TEST_F(SecurityCommandTest, AuditVerifyNamesTheFirstAlteredRecord) {
  ASSERT_EQ(AddUser("ivanova", "operator", "correct horse battery"), 0) << err_.str();
  ASSERT_EQ(AddUser("petrov", "supervisor", "correct horse battery"), 0) << err_.str();
  std::ostringstream out, err;
  ASSERT_EQ(RunExport({.context = Context()}, out, err), 0) << err.str();
  ASSERT_EQ(Verify(), 0) << err_.str();
  EXPECT_NE(out_.str().find("ok, 3 records"), std::string::npos) << out_.str();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "cases.db.audit").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update;"
                         "UPDATE audit_log SET object = 'user:someone' WHERE seq = 2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(Verify(), 1);
  EXPECT_NE(err_.str().find("record 2: altered"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace gosline::cli
