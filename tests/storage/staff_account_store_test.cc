// Staff accounts, sessions and API keys (R19, R20) on every engine
// (store_engines.h). Each Open is another node on the same data (R4): what
// one node writes, another reads, and a sign-out or revocation made through
// one node holds on the others. The last tests run the real StaffAuth on two
// nodes: a member of staff signs in (password and TOTP) on one and is known
// on the other.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/common/clock.h"
#include "security/audit_log.h"
#include "security/encoding.h"
#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "security/password_hasher.h"
#include "security/staff_auth.h"
#include "security/totp.h"
#include "store_engines.h"

namespace gosline {
namespace {

using std::chrono::minutes;
using testing::PostgresEngine;
using testing::SqliteEngine;

const Time kT0 = FromUnixMillis(1'764'000'000'000);
constexpr const char* kPassword = "correct horse battery";

StaffUser User(const std::string& login) {
  StaffUser u;
  u.login = login;
  u.display_name = "Ivanova A.";
  u.role = "operator";
  u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  u.totp_secret = "gse1.secret";
  u.recovery_hashes = {"aa11", "bb22"};
  return u;
}

template <typename Engine>
class StaffAccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
    node1_ = OpenNode();
    node2_ = OpenNode();
    ASSERT_NE(node1_, nullptr);
    ASSERT_NE(node2_, nullptr);
  }

  std::unique_ptr<StaffAccountStore> OpenNode() {
    Result<std::unique_ptr<StaffAccountStore>> store = engine_.OpenStaff();
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  Engine engine_;
  std::unique_ptr<StaffAccountStore> node1_;
  std::unique_ptr<StaffAccountStore> node2_;
};

struct EngineName {
  template <typename Engine>
  static std::string GetName(int) {
    return Engine::kName;
  }
};
using Engines = ::testing::Types<SqliteEngine, PostgresEngine>;
TYPED_TEST_SUITE(StaffAccountStoreTest, Engines, EngineName);

TYPED_TEST(StaffAccountStoreTest, R19_AnAccountWrittenOnOneNodeIsReadOnAnother) {
  Result<int64_t> id = this->node1_->AddUser(User("ivanova"), kT0);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(this->node1_->AddUser(User("abramov"), kT0).ok());
  Result<int64_t> again = this->node2_->AddUser(User("ivanova"), kT0);
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "login");

  Result<StaffUser> read = this->node2_->FindUser("ivanova");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->id, *id);
  EXPECT_EQ(read->display_name, "Ivanova A.");
  EXPECT_EQ(read->totp_secret, std::optional<std::string>("gse1.secret"));
  EXPECT_EQ(read->totp_pending, std::nullopt);
  EXPECT_EQ(read->totp_last_step, std::nullopt);
  EXPECT_EQ(read->recovery_hashes, (std::vector<std::string>{"aa11", "bb22"}));
  EXPECT_FALSE(read->disabled);
  EXPECT_FALSE(read->password_temporary);

  StaffUser changed = *read;
  changed.password_temporary = true;  // a security administrator reset it
  changed.role = "supervisor";
  changed.totp_last_step = 58'800'000;
  changed.totp_pending = "gse1.pending";
  changed.recovery_hashes = {"bb22"};
  changed.disabled = true;
  changed.failed_logins = 2;
  ASSERT_TRUE(this->node2_->UpdateUser(changed).ok());
  Result<StaffUser> by_id = this->node1_->FindUserById(*id);
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  EXPECT_EQ(by_id->role, "supervisor");
  EXPECT_EQ(by_id->totp_last_step, std::optional<int64_t>(58'800'000));
  EXPECT_EQ(by_id->totp_pending, std::optional<std::string>("gse1.pending"));
  EXPECT_EQ(by_id->recovery_hashes, (std::vector<std::string>{"bb22"}));
  EXPECT_TRUE(by_id->disabled);
  EXPECT_EQ(by_id->failed_logins, 2);
  EXPECT_TRUE(by_id->password_temporary);

  Result<std::vector<StaffUser>> all = this->node1_->ListUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].login, "abramov");  // by login
  EXPECT_EQ(this->node1_->FindUser("nobody").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(this->node1_->FindUserById(*id + 100).status().code(), Status::Code::kNotFound);
  changed.id = *id + 100;
  EXPECT_EQ(this->node1_->UpdateUser(changed).code(), Status::Code::kNotFound);
}

TYPED_TEST(StaffAccountStoreTest, R19_ASessionOpenedOnOneNodeEndsOnEveryNode) {
  Result<int64_t> id = this->node1_->AddUser(User("ivanova"), kT0);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(this->node1_->AddSession({"hash-a", *id, kT0, kT0}).ok());
  ASSERT_TRUE(this->node1_->AddSession({"hash-b", *id, kT0, kT0}).ok());

  Result<StoredSession> seen = this->node2_->FindSession("hash-a");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->user_id, *id);
  EXPECT_EQ(seen->created_at, kT0);
  ASSERT_TRUE(this->node2_->TouchSession("hash-a", kT0 + minutes(5)).ok());
  EXPECT_EQ(this->node1_->FindSession("hash-a")->last_seen_at, kT0 + minutes(5));

  // Signed out through node 2: node 1 no longer knows the session.
  ASSERT_TRUE(this->node2_->DeleteSession("hash-a").ok());
  EXPECT_EQ(this->node1_->FindSession("hash-a").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(this->node1_->FindSession("hash-b").ok());
  ASSERT_TRUE(this->node1_->DeleteUserSessions(*id).ok());
  EXPECT_EQ(this->node2_->FindSession("hash-b").status().code(), Status::Code::kNotFound);
}

TYPED_TEST(StaffAccountStoreTest, R20_AnApiKeyMadeOnOneNodeIsRevokedOnEveryNode) {
  ASSERT_TRUE(this->node1_->AddApiKey({"ab12cd34ef56", "crm", "secret-hash", "cases:read", false},
                                      kT0)
                  .ok());
  Result<StoredApiKey> seen = this->node2_->FindApiKey("ab12cd34ef56");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->name, "crm");
  EXPECT_EQ(seen->secret_hash, "secret-hash");
  EXPECT_EQ(seen->scopes, "cases:read");
  EXPECT_FALSE(seen->revoked);
  ASSERT_TRUE(this->node2_->RevokeApiKey("ab12cd34ef56").ok());
  EXPECT_TRUE(this->node1_->FindApiKey("ab12cd34ef56")->revoked);
  EXPECT_EQ(this->node1_->RevokeApiKey("nokey").code(), Status::Code::kNotFound);
  EXPECT_EQ(this->node1_->FindApiKey("nokey").status().code(), Status::Code::kNotFound);
}

// The real authentication service on two nodes of one store.
template <typename Engine>
class TwoNodeStaffAuthTest : public StaffAccountStoreTest<Engine> {
 protected:
  void SetUp() override {
    StaffAccountStoreTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    auto audit = this->engine_.OpenAudit();
    ASSERT_TRUE(audit.ok()) << audit.status().ToString();
    audit_ = std::make_unique<security::AuditLog>(std::move(audit).value());
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'a'), "test");
    ASSERT_TRUE(ring.ok());
    auto cipher =
        security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring)));
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_shared<const security::FieldCipher>(std::move(*cipher));
    policy_.session.idle_timeout = minutes(30);
    policy_.session.absolute_timeout = minutes(120);
    auth1_ = std::make_unique<security::StaffAuth>(*this->node1_, hasher_, cipher_, audit_.get(),
                                                   clock_, policy_);
    auth2_ = std::make_unique<security::StaffAuth>(*this->node2_, hasher_, cipher_, audit_.get(),
                                                   clock_, policy_);
    auto enrolled = auth1_->AddUser("ivanova", "Ivanova A.", "operator", kPassword, "system:test");
    ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
    const std::string& uri = enrolled->otpauth_uri;
    const size_t at = uri.find("secret=");
    const size_t end = uri.find('&', at);
    secret_ = security::Base32Decode(uri.substr(at + 7, end - at - 7)).value_or("");
  }

  std::string Code() const { return security::TotpCode(secret_, clock_.Now()).value(); }

  ManualClock clock_{kT0};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<security::AuditLog> audit_;
  std::shared_ptr<const security::FieldCipher> cipher_;
  security::StaffAuthPolicy policy_;
  std::unique_ptr<security::StaffAuth> auth1_;
  std::unique_ptr<security::StaffAuth> auth2_;
  std::string secret_;
};
TYPED_TEST_SUITE(TwoNodeStaffAuthTest, Engines, EngineName);

TYPED_TEST(TwoNodeStaffAuthTest, R4_R19_SignedInOnOneNodeKnownOnTheOtherUntilSignedOut) {
  const std::string code = this->Code();
  Result<security::LoginResult> login =
      this->auth1_->Login({"ivanova", kPassword, code, "", "10.0.0.1"});
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  Result<security::Principal> on2 = this->auth2_->AuthenticateSession(login->token);
  ASSERT_TRUE(on2.ok()) << on2.status().ToString();
  EXPECT_EQ(on2->Actor(), "user:ivanova");
  // The code used on node 1 is spent on node 2 as well.
  EXPECT_EQ(this->auth2_->Login({"ivanova", kPassword, code, "", "10.0.0.1"}).status().code(),
            Status::Code::kUnauthenticated);

  ASSERT_TRUE(this->auth2_->Logout(login->token, "10.0.0.1").ok());
  EXPECT_EQ(this->auth1_->AuthenticateSession(login->token).status().code(),
            Status::Code::kUnauthenticated);
}

TYPED_TEST(TwoNodeStaffAuthTest, R4_R20_AnApiKeyWorksOnEveryNodeUntilRevoked) {
  Result<security::ScopeSet> scopes = security::ScopeSet::Parse("cases:read");
  ASSERT_TRUE(scopes.ok()) << scopes.status().ToString();
  Result<security::IssuedApiKey> key = this->auth1_->CreateApiKey("crm", *scopes, "user:admin");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Result<security::Principal> on2 = this->auth2_->AuthenticateApiKey(key->key);
  ASSERT_TRUE(on2.ok()) << on2.status().ToString();
  EXPECT_TRUE(on2->scopes.Has("cases:read"));
  ASSERT_TRUE(this->auth2_->RevokeApiKey(key->id, "user:admin").ok());
  EXPECT_EQ(this->auth1_->AuthenticateApiKey(key->key).status().code(),
            Status::Code::kUnauthenticated);

  // Both nodes audited into one chain.
  Result<security::AuditVerifyReport> report = security::VerifyAuditStore(this->audit_->store());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_GE(report->records, 3);
}

}  // namespace
}  // namespace gosline
