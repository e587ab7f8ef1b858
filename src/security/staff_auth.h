// Staff authentication (R19) and integration API keys, joined from the
// building blocks: argon2id passwords, TOTP with replay protection, one-time
// recovery codes, session tokens with idle/absolute expiry, lockout per
// account and per source address, and an audit record (R21) for every login,
// failed login, logout and account change.
//
// TOTP secrets are stored encrypted (field_cipher); without a data key no
// one can enrol, and the refusal says how to configure one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/security/api_scope.h"
#include "core/security/login_lockout.h"
#include "core/security/session_expiry.h"
#include "security/api_key.h"
#include "security/audit_log.h"
#include "security/field_cipher.h"
#include "security/password_hasher.h"
#include "security/staff_store.h"

namespace gosline::security {

// The staff roles of R20, as stored and as written in the CLI.
inline constexpr std::string_view kStaffRoles[] = {
    "operator", "supervisor", "administrator", "security_administrator", "compliance_controller"};
bool IsStaffRole(std::string_view role);

// Who is calling, once authenticated.
struct Principal {
  enum class Kind { kUser, kApiKey };
  Kind kind = Kind::kUser;
  std::string name;          // login, or API key id
  std::string display_name;  // users only
  std::string role;          // users: a staff role; API keys: "integration"
  ScopeSet scopes;           // API keys only
  int64_t user_id = 0;
  Time session_expires_at{};  // sessions: when it ends without further requests
  // First sign-in (users only): what is left before the session may do
  // anything but these steps: a password of their own, their authenticator.
  bool must_change_password = false;
  bool must_enrol_totp = false;
  bool SetupRequired() const { return must_change_password || must_enrol_totp; }

  // "user:ivanova" or "apikey:ab12cd34ef56": the audit actor.
  std::string Actor() const;
};

// A self-service TOTP re-enrolment proves both factors again (R19): a
// session left open or stolen cannot move the second factor to another device.
struct TotpReenrolProof {
  std::string password;
  std::string totp;
};

struct LoginRequest {
  std::string login;
  std::string password;
  std::string totp;           // one of totp and recovery_code
  std::string recovery_code;
  std::string address;        // source address, for the lockout
};

struct LoginResult {
  std::string token;          // to the client, once
  Principal principal;
  Time issued_at{};           // by the auth clock: the cookie's lifetime counts from here
};

// What a person needs to set up the authenticator: shown once.
struct TotpEnrolment {
  std::string otpauth_uri;
  std::vector<std::string> recovery_codes;  // empty for a self-service re-enrolment
};

struct StaffAuthPolicy {
  SessionPolicy session;
  LockoutPolicy lockout;
};

// Threads: every method may be called from any thread (HTTP workers, the
// CLI). The store and the audit log are safe to share; the hasher and the
// cipher are only read.
// lockout_mu_ guards the lockout counters. factor_mu_ guards no member: it
// makes a login's second-factor check and the write of its row (the TOTP
// step used, a recovery code struck out) one step, so two logins with one
// code cannot both pass. Lock order: factor_mu_, then lockout_mu_.
class StaffAuth {
 public:
  // `cipher` may be null (no data key: enrolment is refused); `audit` may be
  // null (unit tests of other parts).
  StaffAuth(StaffStore& store, const PasswordHasher& hasher,
            std::shared_ptr<const FieldCipher> cipher, AuditLog* audit, const Clock& clock,
            StaffAuthPolicy policy = {});

  // Unauthenticated with one message for every wrong input (no oracle);
  // ResourceExhausted while the account or address is locked out. An
  // account without an authenticator (new, or its TOTP reset) signs in with
  // the password alone; that session is limited to the first-sign-in steps
  // (Principal::SetupRequired), as is one opened with a temporary password.
  Result<LoginResult> Login(const LoginRequest& request)
      GOSLINE_EXCLUDES(factor_mu_, lockout_mu_);
  Status Logout(std::string_view token, const std::string& address);
  // A session token (Bearer or cookie). Unauthenticated when unknown,
  // malformed, expired or the account is disabled.
  Result<Principal> AuthenticateSession(std::string_view token);
  // "gsk_..." keys. Unauthenticated when unknown, wrong or revoked.
  Result<Principal> AuthenticateApiKey(std::string_view key);

  // Accounts (`gosline user ...`). The actor is who did it, for the audit.
  Result<TotpEnrolment> AddUser(const std::string& login, const std::string& display_name,
                                const std::string& role, const std::string& password,
                                const std::string& actor);
  Status SetPassword(const std::string& login, const std::string& password,
                     const std::string& actor);
  // A new TOTP secret and recovery codes; every session of the user ends.
  Result<TotpEnrolment> ResetTotp(const std::string& login, const std::string& actor);
  Status SetDisabled(const std::string& login, bool disabled, const std::string& actor);

  // Accounts made or reset by a security administrator, who never sees a
  // second factor: a temporary password, no authenticator (the person
  // enrols their own at first sign-in).
  Status AddUserForFirstSignIn(const std::string& login, const std::string& display_name,
                               const std::string& role, const std::string& temporary_password,
                               const std::string& actor);
  // A temporary password; every session of the user ends.
  Status IssueTemporaryPassword(const std::string& login, const std::string& password,
                                const std::string& actor);
  // Removes the authenticator and the recovery codes; sessions end; the
  // person enrols a new one at their next sign-in.
  Status ClearTotp(const std::string& login, const std::string& actor);

  // The signed-in person replaces their password (InvalidArgument field
  // "current_password" when it is wrong, "new_password" for the policy).
  Status ChangeOwnPassword(const Principal& who, const std::string& current_password,
                           const std::string& new_password);

  // Self-service enrolment from a session: a pending secret, made the
  // account's secret only when a code from it is confirmed. An account that
  // has an authenticator must prove the current password and a current code
  // (InvalidArgument, field "password" or "totp"; each refusal is audited
  // and counts towards the account's login lockout, ResourceExhausted while
  // it holds). The first enrolment of a first sign-in needs neither: that
  // session proved the password and can do nothing else.
  Result<TotpEnrolment> BeginTotpEnrolment(const Principal& who,
                                           const TotpReenrolProof& proof = {})
      GOSLINE_EXCLUDES(factor_mu_, lockout_mu_);
  // On a first enrolment the recovery codes are made here and returned once.
  Result<std::vector<std::string>> ConfirmTotpEnrolment(const Principal& who,
                                                        std::string_view code);

  // The login lockout, for the security administrator's account screen:
  // until when `login` is locked (nullopt: not locked), and lifting it.
  std::optional<Time> AccountLockedUntil(const std::string& login) GOSLINE_EXCLUDES(lockout_mu_);
  void UnlockAccount(const std::string& login) GOSLINE_EXCLUDES(lockout_mu_);

  Result<IssuedApiKey> CreateApiKey(const std::string& name, const ScopeSet& scopes,
                                    const std::string& actor);
  Status RevokeApiKey(const std::string& id, const std::string& actor);

 private:
  // Called with or without factor_mu_ held.
  Status Fail(const LoginRequest& request, std::string_view why, Time now)
      GOSLINE_EXCLUDES(lockout_mu_);
  void Audit(const std::string& actor, const std::string& action, const std::string& object,
             const std::string& detail);
  Status NeedCipher() const;
  Result<std::string> EncryptSecret(const std::string& login, std::string_view secret) const;
  Result<std::string> DecryptSecret(const std::string& login, const std::string& stored) const;

  StaffStore& store_;
  const PasswordHasher& hasher_;
  std::shared_ptr<const FieldCipher> cipher_;
  AuditLog* audit_;
  const Clock& clock_;
  StaffAuthPolicy policy_;
  Mutex factor_mu_ GOSLINE_ACQUIRED_BEFORE(lockout_mu_);  // a second-factor check and its write
  Mutex lockout_mu_;
  LoginLockout lockout_ GOSLINE_GUARDED_BY(lockout_mu_);
};

}  // namespace gosline::security
