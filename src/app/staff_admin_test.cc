#include "app/staff_admin.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/security/login_lockout.h"
#include "security/encoding.h"
#include "security/key_ring.h"
#include "security/session_token.h"
#include "security/totp.h"

namespace gosline {
namespace {

namespace fs = std::filesystem;
using security::StaffAuth;

constexpr const char* kPassword = "correct horse battery";

class StaffAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-staffadmin-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = security::SqliteStaffStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto audit = security::AuditLog::Open((dir_ / "cases.db.audit").string());
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'c'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher =
        security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring)));
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_shared<const security::FieldCipher>(std::move(*cipher));
    // The signing-in service, as in serve; the lockout is the test's own, shared through LockoutAccess.
    auth_ = std::make_unique<StaffAuth>(*store_, hasher_, cipher_, audit_.get(), clock_);
    LockoutAccess access;
    access.locked_until = [this](const std::string& login) -> std::optional<Time> {
      security::LockoutDecision d = lockout_.Check(login, "", clock_.Now());
      if (d.allowed) return std::nullopt;
      return d.retry_after;
    };
    access.unlock = [this](const std::string& login) { lockout_.RecordSuccess(login); };
    admin_ = std::make_unique<StaffAdmin>(*store_, hasher_, cipher_, audit_.get(), clock_, access);
    auto boss = admin_->Create({"boss", "Boss", "security_administrator", kPassword}, "cli:root");
    ASSERT_TRUE(boss.ok()) << boss.status().ToString();
  }
  void TearDown() override {
    admin_.reset();
    auth_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Code(const std::string& secret_b32) {
    return security::TotpCode(security::Base32Decode(secret_b32).value(), clock_.Now()).value();
  }
  Status Login(const std::string& login, const std::string& password, const std::string& code) {
    return auth_->Login({login, password, code, "", "10.0.0.1"}).status();
  }
  std::string OpenSession(const std::string& login) {
    auto user = store_->FindUser(login);
    EXPECT_TRUE(user.ok());
    security::IssuedToken t = security::NewSessionToken();
    EXPECT_TRUE(store_->AddSession({t.hash, user->id, clock_.Now(), clock_.Now()}).ok());
    return t.token;
  }
  bool SessionWorks(const std::string& token) { return auth_->AuthenticateSession(token).ok(); }
  std::vector<security::AuditRecord> Records(const std::string& action) {
    std::vector<security::AuditRecord> out;
    Result<std::vector<security::AuditRecord>> all = audit_->Read(1, 1000);
    EXPECT_TRUE(all.ok());
    if (!all.ok()) return out;
    for (const auto& r : *all) {
      if (r.action == action) out.push_back(r);
    }
    return out;
  }

  fs::path dir_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<security::StaffStore> store_;
  std::unique_ptr<security::AuditLog> audit_;
  std::shared_ptr<const security::FieldCipher> cipher_;
  std::unique_ptr<StaffAuth> auth_;
  security::LoginLockout lockout_;
  std::unique_ptr<StaffAdmin> admin_;
};

TEST_F(StaffAdminTest, CreateWithATemporaryPasswordGivesAWorkingLoginAndOneAuditRecord) {
  auto made = admin_->Create({"ivanova", "Ivanova A.", "operator", ""}, "user:boss");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->temporary_password.size(), 19u);  // four groups of four
  EXPECT_EQ(made->recovery_codes.size(), 10u);
  EXPECT_NE(made->otpauth_uri.find("secret=" + made->secret), std::string::npos);
  EXPECT_TRUE(Login("ivanova", made->temporary_password, Code(made->secret)).ok());

  auto account = admin_->Get("ivanova");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->role, "operator");
  EXPECT_EQ(account->display_name, "Ivanova A.");
  EXPECT_TRUE(account->totp_enrolled);
  EXPECT_FALSE(account->disabled);

  auto created = Records("user.create");
  ASSERT_EQ(created.size(), 2u);  // boss and ivanova
  EXPECT_EQ(created[1].actor, "user:boss");
  EXPECT_EQ(created[1].object, "user:ivanova");
  EXPECT_EQ(created[1].detail.find(made->temporary_password), std::string::npos);
  EXPECT_EQ(created[1].detail.find(made->secret), std::string::npos);
  EXPECT_TRUE(Records("user.add").empty()) << "recorded twice, under the CLI's name too";
}

TEST_F(StaffAdminTest, CreateRefusesBadInputWithTheField) {
  auto role = admin_->Create({"petrov", "", "root", ""}, "user:boss");
  EXPECT_EQ(role.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(role.status().field(), "role");
  auto login = admin_->Create({"Petrov!", "", "operator", ""}, "user:boss");
  EXPECT_EQ(login.status().field(), "login");
  auto weak = admin_->Create({"petrov", "", "operator", "short"}, "user:boss");
  EXPECT_EQ(weak.status().field(), "password");
  auto taken = admin_->Create({"boss", "", "operator", ""}, "user:boss");
  EXPECT_EQ(taken.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(admin_->Get("petrov").status().code(), Status::Code::kNotFound);
}

TEST_F(StaffAdminTest, RoleChangeAndDisablingEndSessionsAndAreAudited) {
  ASSERT_TRUE(admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss").ok());
  const std::string first = OpenSession("ivanova");
  ASSERT_TRUE(SessionWorks(first));
  auto renamed = admin_->Update("ivanova", {"Ivanova Anna", std::nullopt, std::nullopt}, "user:boss");
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->display_name, "Ivanova Anna");
  EXPECT_TRUE(SessionWorks(first)) << "a new display name needs no new sign-in";

  auto promoted = admin_->Update("ivanova", {std::nullopt, "supervisor", std::nullopt}, "user:boss");
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, "supervisor");
  EXPECT_FALSE(SessionWorks(first));

  const std::string second = OpenSession("ivanova");
  auto disabled = admin_->Update("ivanova", {std::nullopt, std::nullopt, true}, "user:boss");
  ASSERT_TRUE(disabled.ok());
  EXPECT_TRUE(disabled->disabled);
  EXPECT_FALSE(SessionWorks(second));

  auto updates = Records("user.update");
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[1].detail, "role operator -> supervisor; sessions ended");
  EXPECT_EQ(updates[2].detail, "disabled; sessions ended");
  EXPECT_EQ(updates[2].object, "user:ivanova");

  EXPECT_EQ(admin_->Update("ivanova", {}, "user:boss").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(admin_->Update("ivanova", {std::nullopt, "god", std::nullopt}, "user:boss")
                .status()
                .field(),
            "role");
  EXPECT_EQ(admin_->Update("nobody", {std::nullopt, std::nullopt, true}, "user:boss")
                .status()
                .code(),
            Status::Code::kNotFound);
}

TEST_F(StaffAdminTest, GuardRailsKeepASecurityAdministrator) {
  auto self = admin_->Update("boss", {std::nullopt, std::nullopt, true}, "user:boss");
  EXPECT_EQ(self.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(self.status().message().find("your own account"), std::string::npos);
  auto demote = admin_->Update("boss", {std::nullopt, "operator", std::nullopt}, "user:boss");
  EXPECT_EQ(demote.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(demote.status().message().find("last security administrator"), std::string::npos);
  auto by_cli = admin_->Update("boss", {std::nullopt, std::nullopt, true}, "cli:root");
  EXPECT_EQ(by_cli.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_FALSE(admin_->Get("boss")->disabled);

  // With a second one, either may go.
  ASSERT_TRUE(admin_->Create({"deputy", "", "security_administrator", ""}, "user:boss").ok());
  EXPECT_TRUE(admin_->Update("boss", {std::nullopt, "administrator", std::nullopt}, "user:deputy").ok());
  EXPECT_EQ(admin_->Update("deputy", {std::nullopt, std::nullopt, true}, "cli:root").status().code(),
            Status::Code::kFailedPrecondition);
}

TEST_F(StaffAdminTest, TotpResetVoidsTheOldSecretAndRecoveryCodes) {
  auto made = admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss");
  ASSERT_TRUE(made.ok());
  const std::string session = OpenSession("ivanova");
  auto reset = admin_->ResetTotp("ivanova", "user:boss");
  ASSERT_TRUE(reset.ok()) << reset.status().ToString();
  EXPECT_NE(reset->secret, made->secret);
  EXPECT_TRUE(reset->temporary_password.empty());
  EXPECT_FALSE(SessionWorks(session));
  EXPECT_FALSE(Login("ivanova", kPassword, Code(made->secret)).ok());
  EXPECT_FALSE(auth_->Login({"ivanova", kPassword, "", made->recovery_codes[0], "10.0.0.1"}).ok());
  clock_.Advance(std::chrono::seconds(30));  // a code not yet used (replay protection)
  EXPECT_TRUE(Login("ivanova", kPassword, Code(reset->secret)).ok());
  auto records = Records("user.totp_reset");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].object, "user:ivanova");
  EXPECT_EQ(records[0].detail.find(reset->secret), std::string::npos);
  EXPECT_EQ(admin_->ResetTotp("nobody", "user:boss").status().code(), Status::Code::kNotFound);
}

TEST_F(StaffAdminTest, PasswordResetGivesATemporaryPasswordAndEndsSessions) {
  auto made = admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss");
  ASSERT_TRUE(made.ok());
  const std::string session = OpenSession("ivanova");
  auto temporary = admin_->ResetPassword("ivanova", "user:boss");
  ASSERT_TRUE(temporary.ok());
  EXPECT_FALSE(SessionWorks(session));
  EXPECT_FALSE(Login("ivanova", kPassword, Code(made->secret)).ok());
  EXPECT_TRUE(Login("ivanova", *temporary, Code(made->secret)).ok());
  auto records = Records("user.password_reset");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].detail.find(*temporary), std::string::npos);
  EXPECT_TRUE(Records("user.passwd").empty());
}

TEST_F(StaffAdminTest, UnlockClearsTheLockoutAndTheFailureCount) {
  ASSERT_TRUE(admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss").ok());
  for (int i = 0; i < 5; ++i) {
    lockout_.RecordFailure("ivanova", "10.0.0.1", clock_.Now());
    EXPECT_FALSE(Login("ivanova", "wrong password!", "000000").ok());
  }
  auto locked = admin_->Get("ivanova");
  ASSERT_TRUE(locked.ok());
  ASSERT_TRUE(locked->locked_until.has_value());
  EXPECT_EQ(locked->failed_logins, 5);
  auto unlocked = admin_->Unlock("ivanova", "user:boss");
  ASSERT_TRUE(unlocked.ok());
  EXPECT_FALSE(unlocked->locked_until.has_value());
  EXPECT_EQ(unlocked->failed_logins, 0);
  auto records = Records("user.unlock");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].detail, "lockout cleared");
}

TEST(TemporaryPassword, PassesThePolicyAndDiffersEachTime) {
  const std::string a = NewTemporaryPassword();
  EXPECT_NE(a, NewTemporaryPassword());
  ASSERT_EQ(a.size(), 19u);
  EXPECT_EQ(a[4], '-');
  EXPECT_EQ(a.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos);
}

}  // namespace
}  // namespace gosline
