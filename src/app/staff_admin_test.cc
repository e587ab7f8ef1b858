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
  // The owner's first sign-in: the temporary password, a password of their
  // own, their authenticator. Returns the secret the owner's app holds.
  std::string FirstSignIn(const std::string& login, const std::string& temporary,
                          const std::string& own_password) {
    auto signed_in = auth_->Login({login, temporary, "", "", "10.0.0.1"});
    EXPECT_TRUE(signed_in.ok()) << signed_in.status().ToString();
    if (!signed_in.ok()) return "";
    const security::Principal who = signed_in->principal;
    EXPECT_TRUE(who.SetupRequired());
    if (who.must_change_password) {
      Status changed = auth_->ChangeOwnPassword(who, temporary, own_password);
      EXPECT_TRUE(changed.ok()) << changed.ToString();
    }
    auto pending = auth_->BeginTotpEnrolment(who);
    EXPECT_TRUE(pending.ok()) << pending.status().ToString();
    if (!pending.ok()) return "";
    const std::string& uri = pending->otpauth_uri;
    const size_t at = uri.find("secret=") + 7;
    const std::string secret = uri.substr(at, uri.find('&', at) - at);
    auto codes = auth_->ConfirmTotpEnrolment(who, Code(secret));
    EXPECT_TRUE(codes.ok()) << codes.status().ToString();
    if (codes.ok()) {
      EXPECT_EQ(codes->size(), 10u);
    }
    return secret;
  }
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

TEST_F(StaffAdminTest, CreateGivesOnlyATemporaryPasswordAndTheOwnerSetsUpTheRest) {
  auto made = admin_->Create({"ivanova", "Ivanova A.", "operator", ""}, "user:boss");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->temporary_password.size(), 19u);  // four groups of four

  auto account = admin_->Get("ivanova");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->role, "operator");
  EXPECT_EQ(account->display_name, "Ivanova A.");
  EXPECT_FALSE(account->totp_enrolled) << "no second factor exists until its owner enrols one";
  EXPECT_FALSE(account->disabled);

  // What the administrator knows opens only the first-sign-in steps.
  auto first = auth_->Login({"ivanova", made->temporary_password, "", "", "10.0.0.1"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->principal.must_change_password);
  EXPECT_TRUE(first->principal.must_enrol_totp);
  auto limited = auth_->AuthenticateSession(first->token);
  ASSERT_TRUE(limited.ok());
  EXPECT_TRUE(limited->SetupRequired());

  const std::string secret = FirstSignIn("ivanova", made->temporary_password, kPassword);
  auto full = auth_->AuthenticateSession(first->token);
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->SetupRequired()) << "both steps done: the session is a full one";
  EXPECT_FALSE(Login("ivanova", made->temporary_password, "").ok());
  EXPECT_FALSE(Login("ivanova", kPassword, "").ok()) << "the authenticator is required now";
  clock_.Advance(std::chrono::seconds(30));
  auto signed_in = auth_->Login({"ivanova", kPassword, Code(secret), "", "10.0.0.1"});
  ASSERT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  EXPECT_FALSE(signed_in->principal.SetupRequired());

  auto created = Records("user.create");
  ASSERT_EQ(created.size(), 2u);  // boss and ivanova
  EXPECT_EQ(created[1].actor, "user:boss");
  EXPECT_EQ(created[1].object, "user:ivanova");
  EXPECT_EQ(created[1].detail.find(made->temporary_password), std::string::npos);
  EXPECT_TRUE(Records("user.add").empty()) << "recorded twice, under the CLI's name too";
  // Each step of the first sign-in is in the audit log, and no secret.
  for (const char* action : {"login", "password.change", "totp.enrol", "totp.confirm"}) {
    auto records = Records(action);
    ASSERT_FALSE(records.empty()) << action;
    EXPECT_EQ(records[0].actor, "user:ivanova") << action;
    EXPECT_EQ(records[0].detail.find(secret), std::string::npos) << action;
    EXPECT_EQ(records[0].detail.find(kPassword), std::string::npos) << action;
  }
  EXPECT_NE(Records("login")[0].detail.find("first sign-in"), std::string::npos);
}

TEST_F(StaffAdminTest, AFirstSignInSessionCannotKeepTheTemporaryPassword) {
  auto made = admin_->Create({"ivanova", "", "operator", ""}, "user:boss");
  ASSERT_TRUE(made.ok());
  auto first = auth_->Login({"ivanova", made->temporary_password, "", "", "10.0.0.1"});
  ASSERT_TRUE(first.ok());
  const security::Principal who = first->principal;
  Status same = auth_->ChangeOwnPassword(who, made->temporary_password, made->temporary_password);
  EXPECT_EQ(same.field(), "new_password");
  Status wrong = auth_->ChangeOwnPassword(who, "not the temporary one", kPassword);
  EXPECT_EQ(wrong.field(), "current_password");
  EXPECT_EQ(Records("password.change.refused").size(), 1u);
  auto still = auth_->AuthenticateSession(first->token);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->must_change_password);
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

TEST_F(StaffAdminTest, TotpResetVoidsTheAuthenticatorAndTheOwnerEnrolsANewOne) {
  auto made = admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss");
  ASSERT_TRUE(made.ok());
  const std::string own = "ivanova's own passphrase";
  const std::string old_secret = FirstSignIn("ivanova", kPassword, own);
  const std::string session = OpenSession("ivanova");
  ASSERT_TRUE(admin_->ResetTotp("ivanova", "user:boss").ok());
  EXPECT_FALSE(SessionWorks(session));
  EXPECT_FALSE(admin_->Get("ivanova")->totp_enrolled);
  // The owner's password opens only the enrolment of a new authenticator.
  auto again = auth_->Login({"ivanova", own, Code(old_secret), "", "10.0.0.1"});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->principal.must_enrol_totp);
  EXPECT_FALSE(again->principal.must_change_password);
  clock_.Advance(std::chrono::seconds(30));
  const std::string new_secret = FirstSignIn("ivanova", own, own);
  EXPECT_NE(new_secret, old_secret);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_FALSE(Login("ivanova", own, Code(old_secret)).ok());
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(Login("ivanova", own, Code(new_secret)).ok());
  auto records = Records("user.totp_reset");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].object, "user:ivanova");
  EXPECT_EQ(admin_->ResetTotp("nobody", "user:boss").code(), Status::Code::kNotFound);
}

TEST_F(StaffAdminTest, PasswordResetGivesATemporaryPasswordThatTheAdministratorCannotUseAlone) {
  auto made = admin_->Create({"ivanova", "", "operator", kPassword}, "user:boss");
  ASSERT_TRUE(made.ok());
  const std::string own = "ivanova's own passphrase";
  const std::string secret = FirstSignIn("ivanova", kPassword, own);
  const std::string session = OpenSession("ivanova");
  auto temporary = admin_->ResetPassword("ivanova", "user:boss");
  ASSERT_TRUE(temporary.ok());
  EXPECT_FALSE(SessionWorks(session));
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_FALSE(Login("ivanova", own, Code(secret)).ok());
  EXPECT_FALSE(Login("ivanova", *temporary, "").ok()) << "the owner's authenticator is still needed";
  auto back = auth_->Login({"ivanova", *temporary, Code(secret), "", "10.0.0.1"});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->principal.must_change_password);
  EXPECT_FALSE(back->principal.must_enrol_totp);
  ASSERT_TRUE(auth_->ChangeOwnPassword(back->principal, *temporary, own + " again").ok());
  EXPECT_FALSE(auth_->AuthenticateSession(back->token)->SetupRequired());
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
