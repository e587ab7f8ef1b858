#include "security/staff_auth.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/security/password_policy.h"
#include "security/encoding.h"
#include "security/recovery_codes.h"
#include "security/session_token.h"
#include "security/totp.h"
#include "security/totp_enrolment.h"

namespace gosline::security {
namespace {

constexpr const char* kLoginRefused = "wrong login, password or second-factor code";

// A login as typed may hold anything; the audit and lockout keep a bounded,
// printable form of it.
std::string PrintableLogin(std::string_view login) {
  std::string out;
  for (char c : login.substr(0, 64)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

Status CheckLogin(const std::string& login) {
  if (login.empty() || login.size() > 64) {
    return Status::InvalidArgument("must be 1 to 64 characters", "login");
  }
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-';
    if (!ok) return Status::InvalidArgument("lowercase latin letters, digits and . _ -", "login");
  }
  return Status::Ok();
}

}  // namespace

bool IsStaffRole(std::string_view role) {
  return std::find(std::begin(kStaffRoles), std::end(kStaffRoles), role) != std::end(kStaffRoles);
}

std::string Principal::Actor() const {
  return (kind == Kind::kUser ? "user:" : "apikey:") + name;
}

StaffAuth::StaffAuth(StaffStore& store, const PasswordHasher& hasher,
                     std::shared_ptr<const FieldCipher> cipher, AuditLog* audit,
                     const Clock& clock, StaffAuthPolicy policy)
    : store_(store),
      hasher_(hasher),
      cipher_(std::move(cipher)),
      audit_(audit),
      clock_(clock),
      policy_(policy),
      lockout_(policy.lockout) {}

void StaffAuth::Audit(const std::string& actor, const std::string& action,
                      const std::string& object, const std::string& detail) {
  if (audit_ == nullptr) return;
  Result<AuditRecord> r = audit_->Append({actor, action, object, detail}, clock_.Now());
  if (!r.ok()) spdlog::error("audit: cannot record {} {}: {}", action, object, r.status().ToString());
}

Status StaffAuth::NeedCipher() const {
  if (cipher_) return Status::Ok();
  return Status::FailedPrecondition(
      "no data key is configured, so a TOTP secret cannot be stored encrypted: set "
      "security.key_file (with security.create_key_if_missing: true for a demo) or the "
      "GOSLINE_DATA_KEY environment variable");
}

Result<std::string> StaffAuth::EncryptSecret(const std::string& login,
                                             std::string_view secret) const {
  GOSLINE_RETURN_IF_ERROR(NeedCipher());
  return cipher_->Encrypt(Base32Encode(secret), "users.totp_secret:" + login);
}

Result<std::string> StaffAuth::DecryptSecret(const std::string& login,
                                             const std::string& stored) const {
  GOSLINE_RETURN_IF_ERROR(NeedCipher());
  GOSLINE_ASSIGN_OR_RETURN(std::string b32, cipher_->Decrypt(stored, "users.totp_secret:" + login));
  std::optional<std::string> raw = Base32Decode(b32);
  if (!raw) return Status::Corruption("stored TOTP secret is not base32");
  return *raw;
}

Status StaffAuth::Fail(const LoginRequest& req, std::string_view why, Time now) {
  const std::string login = PrintableLogin(req.login);
  LockoutDecision d;
  {
    MutexLock lock(lockout_mu_);
    d = lockout_.RecordFailure(login, req.address, now);
  }
  if (Result<StaffUser> u = store_.FindUser(login); u.ok()) {
    ++u->failed_logins;
    if (Status st = store_.UpdateUser(*u); !st.ok()) {
      spdlog::error("login: cannot count a failed login of {}: {}", login, st.ToString());
    }
  }
  Audit("user:" + login, "login.failed", "user:" + login,
        std::string(why) + "; address " + req.address + (d.allowed ? "" : "; now locked out"));
  return Status::Unauthenticated(kLoginRefused);
}

Result<LoginResult> StaffAuth::Login(const LoginRequest& req) {
  const Time now = clock_.Now();
  const std::string login = PrintableLogin(req.login);
  LockoutDecision d;
  {
    MutexLock lock(lockout_mu_);
    d = lockout_.Check(login, req.address, now);
  }
  if (!d.allowed) {
    const bool account = d.reason == LockoutDecision::Reason::kAccountLocked;
    Audit("user:" + login, "login.locked", "user:" + login,
          std::string(account ? "account" : "address") + " locked; address " + req.address);
    return Status::ResourceExhausted(
        std::string("too many failed logins from this ") + (account ? "account" : "address") +
        "; try again after " + FormatIso8601(d.retry_after));
  }
  if (req.password.size() > PasswordHasher::kMaxPasswordBytes) {
    return Fail(req, "oversized password", now);
  }
  Result<StaffUser> user = store_.FindUser(login);
  if (!user.ok()) {
    if (user.status().code() != Status::Code::kNotFound) return user.status();
    GOSLINE_RETURN_IF_ERROR(hasher_.VerifyDummy(req.password));  // as slow as a known account
    return Fail(req, "unknown login", now);
  }
  GOSLINE_ASSIGN_OR_RETURN(bool match, hasher_.Verify(user->password_hash, req.password));
  if (!match) return Fail(req, "wrong password", now);
  if (user->disabled) return Fail(req, "account disabled", now);

  // Two logins racing with one code (or one recovery code) must not both
  // pass: the row is re-read and written under one lock.
  MutexLock factor_lock(factor_mu_);
  user = store_.FindUser(login);
  if (!user.ok()) return user.status();
  const bool first_enrolment = !user->totp_secret.has_value();
  if (first_enrolment) {
    // Nothing to check: the password was the only factor the account has,
    // and the session it opens can only enrol one (AuthenticateSession).
  } else if (!req.totp.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(std::string secret, DecryptSecret(user->login, *user->totp_secret));
    Result<int64_t> step = VerifyTotp(secret, req.totp, now, user->totp_last_step);
    if (!step.ok()) return Fail(req, "wrong or replayed TOTP code", now);
    user->totp_last_step = *step;
  } else if (!req.recovery_code.empty()) {
    std::optional<size_t> used = MatchRecoveryCode(req.recovery_code, user->recovery_hashes);
    if (!used) return Fail(req, "wrong recovery code", now);
    user->recovery_hashes.erase(user->recovery_hashes.begin() + static_cast<ptrdiff_t>(*used));
  } else {
    return Fail(req, "no second factor", now);
  }

  {
    MutexLock lock(lockout_mu_);
    lockout_.RecordSuccess(login);
  }
  user->failed_logins = 0;
  if (hasher_.NeedsRehash(user->password_hash)) {
    if (Result<std::string> h = hasher_.Hash(req.password); h.ok()) user->password_hash = *h;
  }
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(*user));
  factor_lock.Unlock();
  IssuedToken token = NewSessionToken();
  GOSLINE_RETURN_IF_ERROR(store_.AddSession({token.hash, user->id, now, now}));

  LoginResult out;
  out.token = std::move(token.token);
  out.principal.kind = Principal::Kind::kUser;
  out.principal.name = user->login;
  out.principal.display_name = user->display_name;
  out.principal.role = user->role;
  out.principal.user_id = user->id;
  out.principal.session_expires_at = SessionExpiresAt({now, now}, policy_.session);
  out.principal.must_change_password = user->password_temporary;
  out.principal.must_enrol_totp = first_enrolment;
  out.issued_at = now;
  const char* factor = first_enrolment ? "password only (no authenticator yet)"
                       : req.totp.empty() ? "recovery code"
                                          : "totp";
  Audit(out.principal.Actor(), "login", "user:" + user->login,
        std::string(factor) + "; address " + req.address +
            (out.principal.SetupRequired() ? "; first sign-in: limited to setting a password "
                                             "and enrolling an authenticator"
                                           : ""));
  return out;
}

Status StaffAuth::Logout(std::string_view token, const std::string& address) {
  GOSLINE_ASSIGN_OR_RETURN(Principal who, AuthenticateSession(token));
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, SessionTokenHash(token));
  GOSLINE_RETURN_IF_ERROR(store_.DeleteSession(hash));
  Audit(who.Actor(), "logout", "user:" + who.name, "address " + address);
  return Status::Ok();
}

Result<Principal> StaffAuth::AuthenticateSession(std::string_view token) {
  Result<std::string> hash = SessionTokenHash(token);
  if (!hash.ok()) return Status::Unauthenticated("invalid session token");
  Result<StoredSession> session = store_.FindSession(*hash);
  if (!session.ok()) {
    if (session.status().code() == Status::Code::kNotFound) {
      return Status::Unauthenticated("unknown or ended session");
    }
    return session.status();
  }
  const Time now = clock_.Now();
  const SessionTimes times{session->created_at, session->last_seen_at};
  const SessionState state = EvaluateSession(times, policy_.session, now);
  if (state != SessionState::kActive) {
    // Refused either way: a row left behind stays expired and is refused again.
    store_.DeleteSession(*hash).IgnoreError();
    return Status::Unauthenticated(std::string("session expired (") + SessionStateName(state) +
                                   "); log in again");
  }
  Result<StaffUser> user = store_.FindUserById(session->user_id);
  if (!user.ok() || user->disabled) return Status::Unauthenticated("account disabled");
  SessionTimes seen = times;
  if (ShouldTouchSession(times, policy_.session, now)) {
    GOSLINE_RETURN_IF_ERROR(store_.TouchSession(*hash, now));
    seen.last_seen_at = now;
  }
  Principal p;
  p.kind = Principal::Kind::kUser;
  p.name = user->login;
  p.display_name = user->display_name;
  p.role = user->role;
  p.user_id = user->id;
  p.session_expires_at = SessionExpiresAt(seen, policy_.session);
  p.must_change_password = user->password_temporary;
  p.must_enrol_totp = !user->totp_secret.has_value();
  return p;
}

Result<Principal> StaffAuth::AuthenticateApiKey(std::string_view key) {
  Result<PresentedApiKey> presented = ParseApiKey(key);
  if (!presented.ok()) return Status::Unauthenticated("malformed API key");
  Result<StoredApiKey> stored = store_.FindApiKey(presented->id);
  if (!stored.ok()) {
    if (stored.status().code() == Status::Code::kNotFound) {
      return Status::Unauthenticated("unknown API key");
    }
    return stored.status();
  }
  if (!ApiKeySecretMatches(*presented, stored->secret_hash)) {
    return Status::Unauthenticated("unknown API key");
  }
  if (stored->revoked) return Status::Unauthenticated("API key revoked");
  Result<ScopeSet> scopes = ScopeSet::Parse(stored->scopes);
  if (!scopes.ok()) return Status::Corruption("stored API key scopes: " + scopes.status().message());
  Principal p;
  p.kind = Principal::Kind::kApiKey;
  p.name = stored->id;
  p.display_name = stored->name;
  p.role = "integration";
  p.scopes = std::move(scopes).value();
  return p;
}

Result<TotpEnrolment> StaffAuth::AddUser(const std::string& login,
                                         const std::string& display_name,
                                         const std::string& role, const std::string& password,
                                         const std::string& actor) {
  GOSLINE_RETURN_IF_ERROR(CheckLogin(login));
  if (!IsStaffRole(role)) {
    return Status::InvalidArgument(
        "must be one of operator, supervisor, administrator, security_administrator, "
        "compliance_controller",
        "role");
  }
  GOSLINE_RETURN_IF_ERROR(NeedCipher());
  GOSLINE_RETURN_IF_ERROR(CheckPassword(password, login));
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(password));
  const std::string secret = NewTotpSecret();
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed, EncryptSecret(login, secret));
  GOSLINE_ASSIGN_OR_RETURN(std::string uri, OtpauthUri(login, secret));
  RecoveryCodes codes = NewRecoveryCodes();

  StaffUser u;
  u.login = login;
  u.display_name = display_name.empty() ? login : display_name;
  u.role = role;
  u.password_hash = hash;
  u.totp_secret = sealed;
  u.recovery_hashes = codes.hashes;
  GOSLINE_RETURN_IF_ERROR(store_.AddUser(u, clock_.Now()).status());
  Audit(actor, "user.add", "user:" + login, "role " + role);
  return TotpEnrolment{uri, codes.codes};
}

Status StaffAuth::SetPassword(const std::string& login, const std::string& password,
                              const std::string& actor) {
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUser(login));
  GOSLINE_RETURN_IF_ERROR(CheckPassword(password, login));
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(password));
  u.password_hash = hash;
  u.failed_logins = 0;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  GOSLINE_RETURN_IF_ERROR(store_.DeleteUserSessions(u.id));
  Audit(actor, "user.passwd", "user:" + login, "sessions ended");
  return Status::Ok();
}

Result<TotpEnrolment> StaffAuth::ResetTotp(const std::string& login, const std::string& actor) {
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUser(login));
  const std::string secret = NewTotpSecret();
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed, EncryptSecret(login, secret));
  GOSLINE_ASSIGN_OR_RETURN(std::string uri, OtpauthUri(login, secret));
  RecoveryCodes codes = NewRecoveryCodes();
  u.totp_secret = sealed;
  u.totp_pending.reset();
  u.totp_last_step.reset();
  u.recovery_hashes = codes.hashes;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  GOSLINE_RETURN_IF_ERROR(store_.DeleteUserSessions(u.id));
  Audit(actor, "user.totp_reset", "user:" + login, "new secret and recovery codes; sessions ended");
  return TotpEnrolment{uri, codes.codes};
}

Status StaffAuth::SetDisabled(const std::string& login, bool disabled, const std::string& actor) {
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUser(login));
  u.disabled = disabled;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  if (disabled) GOSLINE_RETURN_IF_ERROR(store_.DeleteUserSessions(u.id));
  Audit(actor, disabled ? "user.disable" : "user.enable", "user:" + login, "");
  return Status::Ok();
}

Status StaffAuth::AddUserForFirstSignIn(const std::string& login,
                                        const std::string& display_name,
                                        const std::string& role,
                                        const std::string& temporary_password,
                                        const std::string& actor) {
  GOSLINE_RETURN_IF_ERROR(CheckLogin(login));
  if (!IsStaffRole(role)) {
    return Status::InvalidArgument(
        "must be one of operator, supervisor, administrator, security_administrator, "
        "compliance_controller",
        "role");
  }
  // The person cannot enrol an authenticator later without a data key.
  GOSLINE_RETURN_IF_ERROR(NeedCipher());
  GOSLINE_RETURN_IF_ERROR(CheckPassword(temporary_password, login));
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(temporary_password));
  StaffUser u;
  u.login = login;
  u.display_name = display_name.empty() ? login : display_name;
  u.role = role;
  u.password_hash = hash;
  u.password_temporary = true;
  GOSLINE_RETURN_IF_ERROR(store_.AddUser(u, clock_.Now()).status());
  Audit(actor, "user.add", "user:" + login, "role " + role + "; temporary password");
  return Status::Ok();
}

Status StaffAuth::IssueTemporaryPassword(const std::string& login, const std::string& password,
                                         const std::string& actor) {
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUser(login));
  GOSLINE_RETURN_IF_ERROR(CheckPassword(password, login));
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(password));
  u.password_hash = hash;
  u.password_temporary = true;
  u.failed_logins = 0;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  GOSLINE_RETURN_IF_ERROR(store_.DeleteUserSessions(u.id));
  Audit(actor, "user.passwd", "user:" + login, "temporary password; sessions ended");
  return Status::Ok();
}

Status StaffAuth::ClearTotp(const std::string& login, const std::string& actor) {
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUser(login));
  u.totp_secret.reset();
  u.totp_pending.reset();
  u.totp_last_step.reset();
  u.recovery_hashes.clear();
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  GOSLINE_RETURN_IF_ERROR(store_.DeleteUserSessions(u.id));
  Audit(actor, "user.totp_reset", "user:" + login,
        "authenticator and recovery codes removed; enrolled again at next sign-in; sessions ended");
  return Status::Ok();
}

Status StaffAuth::ChangeOwnPassword(const Principal& who, const std::string& current_password,
                                    const std::string& new_password) {
  if (who.kind != Principal::Kind::kUser) {
    return Status::PermissionDenied("API keys have no password");
  }
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUserById(who.user_id));
  if (current_password.size() > PasswordHasher::kMaxPasswordBytes) {
    return Status::InvalidArgument("is not the current password", "current_password");
  }
  GOSLINE_ASSIGN_OR_RETURN(bool match, hasher_.Verify(u.password_hash, current_password));
  if (!match) {
    Audit(who.Actor(), "password.change.refused", "user:" + u.login, "wrong current password");
    return Status::InvalidArgument("is not the current password", "current_password");
  }
  if (new_password == current_password) {
    return Status::InvalidArgument("must differ from the current password", "new_password");
  }
  if (Status policy = CheckPassword(new_password, u.login); !policy.ok()) {
    return Status::InvalidArgument(policy.message(), "new_password");
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(new_password));
  const bool was_temporary = u.password_temporary;
  u.password_hash = hash;
  u.password_temporary = false;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  Audit(who.Actor(), "password.change", "user:" + u.login,
        was_temporary ? "temporary password replaced at first sign-in" : "password changed");
  return Status::Ok();
}

Result<TotpEnrolment> StaffAuth::BeginTotpEnrolment(const Principal& who,
                                                    const TotpReenrolProof& proof) {
  if (who.kind != Principal::Kind::kUser) {
    return Status::PermissionDenied("API keys have no second factor");
  }
  // The proof's code is checked and its step written under one lock, as a
  // login's is, so one code cannot serve twice.
  MutexLock factor_lock(factor_mu_);
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUserById(who.user_id));
  if (u.totp_secret) {
    const Time now = clock_.Now();
    LockoutDecision d;
    {
      MutexLock lock(lockout_mu_);
      d = lockout_.Check(u.login, "", now);
    }
    if (!d.allowed) {
      return Status::ResourceExhausted("too many failed attempts; try again after " +
                                       FormatIso8601(d.retry_after));
    }
    auto refuse = [&](const char* field, const char* why) {
      {
        MutexLock lock(lockout_mu_);
        lockout_.RecordFailure(u.login, "", now);
      }
      Audit(who.Actor(), "totp.enrol.refused", "user:" + u.login, why);
      return Status::InvalidArgument(
          std::string(why) + ": a new authenticator needs your current password and a code "
                             "from your current one",
          field);
    };
    if (proof.password.empty() || proof.password.size() > PasswordHasher::kMaxPasswordBytes) {
      return refuse("password", "current password missing or wrong");
    }
    GOSLINE_ASSIGN_OR_RETURN(bool match, hasher_.Verify(u.password_hash, proof.password));
    if (!match) return refuse("password", "current password missing or wrong");
    GOSLINE_ASSIGN_OR_RETURN(std::string current, DecryptSecret(u.login, *u.totp_secret));
    Result<int64_t> step = VerifyTotp(current, proof.totp, now, u.totp_last_step);
    if (!step.ok()) return refuse("totp", "current code missing, wrong or used before");
    u.totp_last_step = *step;
  }
  const std::string secret = NewTotpSecret();
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed, EncryptSecret(u.login, secret));
  GOSLINE_ASSIGN_OR_RETURN(std::string uri, OtpauthUri(u.login, secret));
  u.totp_pending = sealed;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  Audit(who.Actor(), "totp.enrol", "user:" + u.login,
        std::string(u.totp_secret ? "password and current code proved; " : "first enrolment; ") +
            "pending until confirmed");
  return TotpEnrolment{uri, {}};
}

Result<std::vector<std::string>> StaffAuth::ConfirmTotpEnrolment(const Principal& who,
                                                                 std::string_view code) {
  if (who.kind != Principal::Kind::kUser) {
    return Status::PermissionDenied("API keys have no second factor");
  }
  GOSLINE_ASSIGN_OR_RETURN(StaffUser u, store_.FindUserById(who.user_id));
  if (!u.totp_pending) {
    return Status::FailedPrecondition("no enrolment in progress: POST /api/v1/auth/totp/enrol first");
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string secret, DecryptSecret(u.login, *u.totp_pending));
  Result<int64_t> step = VerifyTotp(secret, code, clock_.Now(), std::nullopt);
  if (!step.ok()) return Status::InvalidArgument("wrong code for the new secret", "totp");
  const bool first = !u.totp_secret.has_value();
  std::vector<std::string> recovery;
  if (first) {
    // The person's own recovery codes, shown to them once, never to an administrator.
    RecoveryCodes codes = NewRecoveryCodes();
    u.recovery_hashes = codes.hashes;
    recovery = std::move(codes.codes);
  }
  u.totp_secret = u.totp_pending;
  u.totp_pending.reset();
  u.totp_last_step = *step;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  Audit(who.Actor(), "totp.confirm", "user:" + u.login,
        first ? "first authenticator in use; recovery codes issued" : "new secret in use");
  return recovery;
}

Result<IssuedApiKey> StaffAuth::CreateApiKey(const std::string& name, const ScopeSet& scopes,
                                             const std::string& actor) {
  IssuedApiKey key = NewApiKey(scopes);
  GOSLINE_RETURN_IF_ERROR(
      store_.AddApiKey({key.id, name, key.secret_hash, scopes.ToString(), false}, clock_.Now()));
  Audit(actor, "apikey.create", "apikey:" + key.id, "scopes " + scopes.ToString() + "; " + name);
  return key;
}

Status StaffAuth::RevokeApiKey(const std::string& id, const std::string& actor) {
  GOSLINE_RETURN_IF_ERROR(store_.RevokeApiKey(id));
  Audit(actor, "apikey.revoke", "apikey:" + id, "");
  return Status::Ok();
}

}  // namespace gosline::security

namespace gosline::security {

std::optional<Time> StaffAuth::AccountLockedUntil(const std::string& login) {
  MutexLock lock(lockout_mu_);
  LockoutDecision d = lockout_.Check(login, "", clock_.Now());
  if (d.allowed || d.reason != LockoutDecision::Reason::kAccountLocked) return std::nullopt;
  return d.retry_after;
}

void StaffAuth::UnlockAccount(const std::string& login) {
  MutexLock lock(lockout_mu_);
  lockout_.RecordSuccess(login);
}

}  // namespace gosline::security
