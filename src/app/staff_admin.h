// Account administration for the security administrator (R19-R21):
// list, create, change role or display name, disable, reset the second
// factor or the password, clear a login lockout. The HTTP routes
// (http/user_routes.h) are a thin layer over this; the `gosline user`
// commands may move onto it later.
//
// Every change is audited here, once, under user.create / user.update /
// user.totp_reset / user.password_reset / user.unlock with the login as the
// object; no secret (password, TOTP secret, recovery code) ever goes into a
// detail. The administrator never receives a second factor (R19): a new or
// reset account signs in with a temporary password and its owner enrols. The account operations reuse StaffAuth's (password policy, TOTP
// secret sealing) through a private StaffAuth without an audit log, so they
// are not recorded twice under the CLI's action names.
//
// Guard rails: nobody disables their own account, and the last enabled
// security administrator can be neither disabled nor given another role (no
// one could administer accounts any more but the CLI on the server).
//
// Threads: any (HTTP threads). mu_ makes each change one step, so two
// administrators cannot both pass a guard rail and then both write; it
// guards the store's accounts as this class sees them, not a member.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "security/audit_log.h"
#include "security/field_cipher.h"
#include "security/password_hasher.h"
#include "security/staff_auth.h"
#include "security/staff_store.h"

namespace gosline {

// What an administrator sees of an account: never a secret or a hash.
struct StaffAccount {
  std::string login;
  std::string display_name;
  std::string role;
  bool disabled = false;
  bool totp_enrolled = false;
  int failed_logins = 0;              // consecutive, reset by a successful login
  std::optional<Time> locked_until;   // set while the login lockout holds the account
};

struct NewStaffAccount {
  std::string login;
  std::string display_name;  // empty: the login
  std::string role;
  std::string password;      // temporary either way; empty: the server makes one
};

// Shown once to the administrator, who hands it to the person. Only a
// temporary password: the person sets their own at first sign-in and enrols
// their own authenticator, so the administrator can never sign in as them.
struct IssuedTemporaryPassword {
  std::string temporary_password;  // empty when the administrator chose it
};

struct StaffAccountPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
};

// The login lockout lives in memory in the StaffAuth that signs people in;
// serve passes accessors to it. Without them accounts show no lock and
// Unlock only clears the stored failure count.
struct LockoutAccess {
  std::function<std::optional<Time>(const std::string& login)> locked_until;
  std::function<void(const std::string& login)> unlock;
};

class StaffAdmin {
 public:
  // Everything passed must outlive the service; `audit` may be null (tests of
  // other parts). Without `cipher` creating users and TOTP resets are refused.
  StaffAdmin(security::StaffStore& store, const security::PasswordHasher& hasher,
             std::shared_ptr<const security::FieldCipher> cipher, security::AuditLog* audit,
             const Clock& clock, LockoutAccess lockout = {});

  Result<std::vector<StaffAccount>> List();
  Result<StaffAccount> Get(const std::string& login);  // NotFound

  // InvalidArgument (field login/role/password/display_name), AlreadyExists.
  // The account has no authenticator until its owner enrols one.
  Result<IssuedTemporaryPassword> Create(const NewStaffAccount& account, const std::string& actor);
  // A role change or disabling ends the user's sessions. FailedPrecondition
  // for the guard rails above; InvalidArgument for an empty patch.
  Result<StaffAccount> Update(const std::string& login, const StaffAccountPatch& patch,
                              const std::string& actor);
  // The authenticator and recovery codes stop working, sessions end; the
  // person enrols a new authenticator at their next sign-in.
  Status ResetTotp(const std::string& login, const std::string& actor);
  // A new temporary password (returned once), replaced by the person at
  // their next sign-in; sessions end.
  Result<std::string> ResetPassword(const std::string& login, const std::string& actor);
  // Clears the lockout and the failure count.
  Result<StaffAccount> Unlock(const std::string& login, const std::string& actor);

 private:
  StaffAccount View(const security::StaffUser& user) const;
  void Audit(const std::string& actor, const std::string& action, const std::string& login,
             const std::string& detail);
  // FailedPrecondition when `user` is the last enabled security administrator.
  Status KeepOneSecurityAdministrator(const security::StaffUser& user) GOSLINE_REQUIRES(mu_);

  security::StaffStore& store_;
  security::AuditLog* audit_;
  const Clock& clock_;
  LockoutAccess lockout_;
  security::StaffAuth accounts_;  // no audit log: this class records each change itself
  Mutex mu_;                      // one change at a time: the guard rails read, then write
};

// 16 random base32 characters in groups of four ("k7qm-2xa9-..."): 80 bits,
// well inside the password policy, readable over the phone.
std::string NewTemporaryPassword();

}  // namespace gosline
