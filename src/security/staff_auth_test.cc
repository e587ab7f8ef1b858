#include "security/staff_auth.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "security/encoding.h"
#include "security/recovery_codes.h"
#include "security/totp.h"

namespace gosline::security {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kPassword = "correct horse battery";

// The raw TOTP secret from an otpauth:// URI, as an authenticator app reads it.
std::string SecretOf(const std::string& uri) {
  const size_t at = uri.find("secret=");
  const size_t end = uri.find('&', at);
  return Base32Decode(uri.substr(at + 7, end - at - 7)).value_or("");
}

class StaffAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-staff-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = SqliteStaffStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto audit = AuditLog::Open((dir_ / "cases.db.audit").string());
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    auto ring = KeyRing::Parse("k1:" + std::string(64, 'a'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher = FieldCipher::Create(std::make_shared<const KeyRing>(std::move(*ring)));
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_shared<const FieldCipher>(std::move(*cipher));
    policy_.session.idle_timeout = minutes(30);
    policy_.session.absolute_timeout = minutes(120);
    policy_.lockout.account = {3, minutes(15), minutes(1), minutes(60)};
    policy_.lockout.address = {10, minutes(15), minutes(15), minutes(60)};
    auth_ = std::make_unique<StaffAuth>(*store_, hasher_, cipher_, audit_.get(), clock_, policy_);
    auto enrolled = auth_->AddUser("ivanova", "Ivanova A.", "operator", kPassword, "system:test");
    ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
    enrolment_ = *enrolled;
    secret_ = SecretOf(enrolment_.otpauth_uri);
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    audit_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Code() const { return TotpCode(secret_, clock_.Now()).value(); }
  Result<LoginResult> Login(std::string password, std::string totp, std::string address = "10.0.0.1") {
    return auth_->Login({"ivanova", std::move(password), std::move(totp), "", std::move(address)});
  }
  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    Result<std::vector<AuditRecord>> records = audit_->Read(1, 1000);
    EXPECT_TRUE(records.ok());
    if (records.ok()) {
      for (const AuditRecord& r : *records) out.push_back(r.action);
    }
    return out;
  }

  fs::path dir_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  PasswordHasher hasher_{PasswordHashLimits::Minimum()};
  std::unique_ptr<StaffStore> store_;
  std::unique_ptr<AuditLog> audit_;
  std::shared_ptr<const FieldCipher> cipher_;
  StaffAuthPolicy policy_;
  std::unique_ptr<StaffAuth> auth_;
  TotpEnrolment enrolment_;
  std::string secret_;
};

TEST_F(StaffAuthTest, PasswordAndTotpGiveASessionThatAuthenticates) {
  EXPECT_EQ(enrolment_.recovery_codes.size(), kRecoveryCodeCount);
  EXPECT_EQ(enrolment_.otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  auto who = auth_->AuthenticateSession(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->Actor(), "user:ivanova");
  EXPECT_EQ(who->role, "operator");
  // The secret is stored encrypted, not in base32.
  auto row = store_->FindUser("ivanova");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->totp_secret->rfind("gse1.", 0), 0u);
  EXPECT_EQ(row->totp_secret->find(Base32Encode(secret_)), std::string::npos);
}

TEST_F(StaffAuthTest, ReplayedTotpIsRefused) {
  const std::string code = Code();
  ASSERT_TRUE(Login(kPassword, code).ok());
  auto again = Login(kPassword, code);
  EXPECT_EQ(again.status().code(), Status::Code::kUnauthenticated);
  clock_.Advance(seconds(30));
  EXPECT_TRUE(Login(kPassword, Code()).ok());
}

TEST_F(StaffAuthTest, WrongInputsGetOneMessage) {
  auto wrong_password = Login("not the password!", Code());
  auto wrong_code = Login(kPassword, "000000");
  auto no_code = Login(kPassword, "");
  auto unknown = auth_->Login({"nobody", kPassword, Code(), "", "10.0.0.9"});
  for (const auto* r : {&wrong_password, &wrong_code, &no_code, &unknown}) {
    EXPECT_EQ(r->status().code(), Status::Code::kUnauthenticated);
    EXPECT_EQ(r->status().message(), wrong_password.status().message());
  }
}

TEST_F(StaffAuthTest, AccountLocksAfterThresholdEvenForTheRightPassword) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Login("wrong password 123", Code()).ok());
  auto locked = Login(kPassword, Code());
  EXPECT_EQ(locked.status().code(), Status::Code::kResourceExhausted);
  clock_.Advance(minutes(2));
  EXPECT_TRUE(Login(kPassword, Code()).ok());
  const auto actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.failed"), 3);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.locked"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login"), 1);
}

TEST_F(StaffAuthTest, AddressLocksAcrossAccounts) {
  for (int i = 0; i < 10; ++i) {
    // Failing on purpose: only the lockout they cause matters here.
    auth_->Login({"user" + std::to_string(i), "guess guess guess", "123456", "", "10.6.6.6"})
        .IgnoreError();
  }
  auto r = Login(kPassword, Code(), "10.6.6.6");
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
  EXPECT_TRUE(Login(kPassword, Code(), "10.0.0.2").ok());
}

TEST_F(StaffAuthTest, RecoveryCodeWorksOnce) {
  const std::string code = enrolment_.recovery_codes[0];
  EXPECT_TRUE(auth_->Login({"ivanova", kPassword, "", code, "a"}).ok());
  EXPECT_EQ(auth_->Login({"ivanova", kPassword, "", code, "a"}).status().code(),
            Status::Code::kUnauthenticated);
}

TEST_F(StaffAuthTest, SessionsExpireWhenIdleAndAbsolutely) {
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok());
  // Active use keeps it alive up to the absolute limit.
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(minutes(29));
    EXPECT_TRUE(auth_->AuthenticateSession(login->token).ok()) << i;
  }
  clock_.Advance(minutes(29));  // 116 min
  EXPECT_TRUE(auth_->AuthenticateSession(login->token).ok());
  clock_.Advance(minutes(5));  // 121 min: past absolute
  EXPECT_EQ(auth_->AuthenticateSession(login->token).status().code(),
            Status::Code::kUnauthenticated);

  clock_.Advance(seconds(30));
  auto second = Login(kPassword, Code());
  ASSERT_TRUE(second.ok());
  clock_.Advance(minutes(31));
  EXPECT_EQ(auth_->AuthenticateSession(second->token).status().code(),
            Status::Code::kUnauthenticated);
}

TEST_F(StaffAuthTest, LogoutEndsTheSessionAndForgedTokensFail) {
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(auth_->Logout(login->token, "a").ok());
  EXPECT_FALSE(auth_->AuthenticateSession(login->token).ok());
  std::string forged = login->token;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_->AuthenticateSession(forged).ok());
  EXPECT_FALSE(auth_->AuthenticateSession("'; DROP TABLE users; --").ok());
  EXPECT_FALSE(auth_->AuthenticateSession(std::string(100000, 'A')).ok());
}

TEST_F(StaffAuthTest, ApiKeysCarryScopesAndCanBeRevoked) {
  auto scopes = ScopeSet::Parse("cases:read");
  ASSERT_TRUE(scopes.ok());
  auto key = auth_->CreateApiKey("crm", *scopes, "system:test");
  ASSERT_TRUE(key.ok());
  auto who = auth_->AuthenticateApiKey(key->key);
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(who->scopes.Has("cases:read"));
  EXPECT_FALSE(who->scopes.Has("cases:write"));
  EXPECT_EQ(who->role, "integration");
  std::string forged = key->key;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_->AuthenticateApiKey(forged).ok());
  ASSERT_TRUE(auth_->RevokeApiKey(key->id, "system:test").ok());
  EXPECT_EQ(auth_->AuthenticateApiKey(key->key).status().code(), Status::Code::kUnauthenticated);
}

TEST_F(StaffAuthTest, TotpResetAndReEnrolment) {
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok());
  auto reset = auth_->ResetTotp("ivanova", "user:admin");
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(auth_->AuthenticateSession(login->token).ok());  // sessions ended
  clock_.Advance(seconds(30));
  EXPECT_FALSE(Login(kPassword, Code()).ok());  // the old secret no longer works
  secret_ = SecretOf(reset->otpauth_uri);
  auto again = Login(kPassword, Code());
  ASSERT_TRUE(again.ok());

  auto who = auth_->AuthenticateSession(again->token).value();
  clock_.Advance(seconds(30));
  auto pending = auth_->BeginTotpEnrolment(who, {kPassword, Code()});
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  const std::string next = SecretOf(pending->otpauth_uri);
  EXPECT_FALSE(auth_->ConfirmTotpEnrolment(who, "000000").ok());
  ASSERT_TRUE(auth_->ConfirmTotpEnrolment(who, TotpCode(next, clock_.Now()).value()).ok());
  clock_.Advance(seconds(30));
  secret_ = next;
  EXPECT_TRUE(Login(kPassword, Code()).ok());
}

TEST_F(StaffAuthTest, EnrolmentIsRefusedWithoutADataKey) {
  StaffAuth keyless(*store_, hasher_, nullptr, audit_.get(), clock_, policy_);
  auto r = keyless.AddUser("petrov", "", "supervisor", kPassword, "system:test");
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("security.key_file"), std::string::npos);
}

TEST_F(StaffAuthTest, AccountRulesAreChecked) {
  EXPECT_EQ(auth_->AddUser("ivanova", "", "operator", kPassword, "t").status().code(),
            Status::Code::kAlreadyExists);
  EXPECT_EQ(auth_->AddUser("x", "", "root", kPassword, "t").status().field(), "role");
  EXPECT_EQ(auth_->AddUser("Bad Login", "", "operator", kPassword, "t").status().field(), "login");
  EXPECT_EQ(auth_->AddUser("petrov", "", "operator", "short", "t").status().field(), "password");
}

}  // namespace
}  // namespace gosline::security

namespace gosline::security {
namespace {

// R19: a session alone cannot move the second factor: re-enrolment proves
// the current password and a current, unused code; refusals are audited
// and count towards the lockout.
TEST_F(StaffAuthTest, ReEnrolmentNeedsTheCurrentPasswordAndACurrentCode) {
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok());
  auto who = auth_->AuthenticateSession(login->token).value();
  auto bare = auth_->BeginTotpEnrolment(who);
  EXPECT_EQ(bare.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(bare.status().field(), "password");
  auto replayed = auth_->BeginTotpEnrolment(who, {kPassword, Code()});  // the login used it
  EXPECT_EQ(replayed.status().field(), "totp");
  EXPECT_FALSE(store_->FindUser("ivanova")->totp_pending.has_value());
  auto count = [this](const std::string& action) {
    int n = 0;
    for (const std::string& a : AuditActions()) n += a == action;
    return n;
  };
  EXPECT_EQ(count("totp.enrol.refused"), 2);  // the lockout allows 3 in this test

  clock_.Advance(seconds(30));
  auto proved = auth_->BeginTotpEnrolment(who, {kPassword, Code()});
  ASSERT_TRUE(proved.ok()) << proved.status().ToString();
  EXPECT_EQ(count("totp.enrol"), 1);
}

TEST_F(StaffAuthTest, ReEnrolmentRefusalsLockTheAccountOut) {
  auto login = Login(kPassword, Code());
  ASSERT_TRUE(login.ok());
  auto who = auth_->AuthenticateSession(login->token).value();
  Status last = Status::Ok();
  for (int i = 0; i < 20 && last.code() != Status::Code::kResourceExhausted; ++i) {
    last = auth_->BeginTotpEnrolment(who, {"guess " + std::to_string(i), "123456"}).status();
  }
  EXPECT_EQ(last.code(), Status::Code::kResourceExhausted) << last.ToString();
  clock_.Advance(seconds(30));
  EXPECT_EQ(auth_->BeginTotpEnrolment(who, {kPassword, Code()}).status().code(),
            Status::Code::kResourceExhausted) << "the lockout holds even for the right proof";
}

}  // namespace
}  // namespace gosline::security
