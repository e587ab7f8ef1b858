// Test support for the live feed, status and report routes: a real staff
// store, StaffAuth and SessionAuthorizer in a temporary directory, with one
// user per role and sessions issued directly (as access_matrix_test.cc does).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/common/clock.h"
#include "http/router.h"
#include "http/session_authorizer.h"
#include "security/audit_log.h"
#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "security/password_hasher.h"
#include "security/session_token.h"
#include "security/staff_auth.h"
#include "security/staff_store.h"

namespace gosline::http::testing {

class StaffFixture {
 public:
  // Fails the current test (ADD_FAILURE) when anything cannot be set up.
  StaffFixture() {
    namespace fs = std::filesystem;
    std::string tmpl = (fs::temp_directory_path() / "gosline-live-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp";
      return;
    }
    dir_ = tmpl;
    db_ = (dir_ / "gosline.db").string();
    auto staff = security::SqliteStaffStore::Open(db_);
    if (!staff.ok()) {
      ADD_FAILURE() << staff.status().ToString();
      return;
    }
    staff_ = std::move(staff).value();
    auto audit = security::AuditLog::Open(db_ + ".audit");
    if (!audit.ok()) {
      ADD_FAILURE() << audit.status().ToString();
      return;
    }
    audit_ = std::move(audit).value();
    auto ring = security::KeyRing::Parse("k1:" + std::string(64, 'c'), "test");
    auto cipher = security::FieldCipher::Create(
        std::make_shared<const security::KeyRing>(std::move(ring).value()));
    auth_ = std::make_unique<security::StaffAuth>(
        *staff_, hasher_, std::make_shared<const security::FieldCipher>(std::move(cipher).value()),
        audit_.get(), clock_);
    for (const char* role : {"operator", "supervisor", "administrator", "compliance_controller"}) {
      auto added = auth_->AddUser(std::string("u-") + role, "", role, "a long enough password",
                                  "system:test");
      if (!added.ok()) ADD_FAILURE() << added.status().ToString();
    }
  }
  ~StaffFixture() {
    auth_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<Router> NewRouter() {
    return std::make_unique<Router>(std::make_shared<SessionAuthorizer>(*auth_));
  }

  // "Bearer <token>" of a fresh session for "u-<role>".
  std::string BearerFor(const std::string& role) {
    auto user = staff_->FindUser("u-" + role);
    EXPECT_TRUE(user.ok());
    if (!user.ok()) return "";
    security::IssuedToken t = security::NewSessionToken();
    EXPECT_TRUE(staff_->AddSession({t.hash, user->id, clock_.Now(), clock_.Now()}).ok());
    return "Bearer " + t.token;
  }

  const std::filesystem::path& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  ManualClock& clock() { return clock_; }

 private:
  std::filesystem::path dir_;
  std::string db_;
  ManualClock clock_{FromUnixMillis(1'764'000'000'000)};
  security::PasswordHasher hasher_{security::PasswordHashLimits::Minimum()};
  std::unique_ptr<security::StaffStore> staff_;
  std::unique_ptr<security::AuditLog> audit_;
  std::unique_ptr<security::StaffAuth> auth_;
};

}  // namespace gosline::http::testing
