#include "app/staff_admin.h"

#include <cctype>

#include <spdlog/spdlog.h>

#include "security/encoding.h"

namespace gosline {
namespace {

constexpr size_t kMaxDisplayName = 200;

Status RoleKnown(const std::string& role) {
  if (security::IsStaffRole(role)) return Status::Ok();
  std::string list;
  for (std::string_view r : security::kStaffRoles) list += (list.empty() ? "" : ", ") + std::string(r);
  return Status::InvalidArgument("must be one of " + list, "role");
}

Status DisplayNameOk(const std::string& name) {
  if (name.empty() || name.size() > kMaxDisplayName) {
    return Status::InvalidArgument("must be 1 to 200 bytes", "display_name");
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("must not contain control characters", "display_name");
    }
  }
  return Status::Ok();
}

bool IsActiveSecurityAdministrator(const security::StaffUser& u) {
  return u.role == "security_administrator" && !u.disabled;
}

}  // namespace

std::string NewTemporaryPassword() {
  std::string raw = security::Base32Encode(security::RandomBytes(10));  // 16 characters
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(raw[i])));
  }
  return out;
}

StaffAdmin::StaffAdmin(security::StaffStore& store, const security::PasswordHasher& hasher,
                       std::shared_ptr<const security::FieldCipher> cipher,
                       security::AuditLog* audit, const Clock& clock, LockoutAccess lockout)
    : store_(store),
      audit_(audit),
      clock_(clock),
      lockout_(std::move(lockout)),
      accounts_(store, hasher, std::move(cipher), /*audit=*/nullptr, clock) {}

StaffAccount StaffAdmin::View(const security::StaffUser& u) const {
  StaffAccount a;
  a.login = u.login;
  a.display_name = u.display_name;
  a.role = u.role;
  a.disabled = u.disabled;
  a.totp_enrolled = u.totp_secret.has_value();
  a.failed_logins = u.failed_logins;
  if (lockout_.locked_until) a.locked_until = lockout_.locked_until(u.login);
  return a;
}

void StaffAdmin::Audit(const std::string& actor, const std::string& action,
                       const std::string& login, const std::string& detail) {
  if (audit_ == nullptr) return;
  Result<security::AuditRecord> r =
      audit_->Append({actor, action, "user:" + login, detail}, clock_.Now());
  if (!r.ok()) spdlog::error("audit: cannot record {} {}: {}", action, login, r.status().ToString());
}

Status StaffAdmin::KeepOneSecurityAdministrator(const security::StaffUser& user) {
  if (!IsActiveSecurityAdministrator(user)) return Status::Ok();
  GOSLINE_ASSIGN_OR_RETURN(std::vector<security::StaffUser> all, store_.ListUsers());
  for (const security::StaffUser& other : all) {
    if (other.id != user.id && IsActiveSecurityAdministrator(other)) return Status::Ok();
  }
  return Status::FailedPrecondition(user.login +
                                    " is the last security administrator: make another account "
                                    "security administrator first");
}

Result<std::vector<StaffAccount>> StaffAdmin::List() {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<security::StaffUser> users, store_.ListUsers());
  std::vector<StaffAccount> out;
  out.reserve(users.size());
  for (const security::StaffUser& u : users) out.push_back(View(u));
  return out;
}

Result<StaffAccount> StaffAdmin::Get(const std::string& login) {
  GOSLINE_ASSIGN_OR_RETURN(security::StaffUser u, store_.FindUser(login));
  return View(u);
}

Result<IssuedTemporaryPassword> StaffAdmin::Create(const NewStaffAccount& in,
                                                   const std::string& actor) {
  GOSLINE_RETURN_IF_ERROR(RoleKnown(in.role));
  if (!in.display_name.empty()) GOSLINE_RETURN_IF_ERROR(DisplayNameOk(in.display_name));
  MutexLock lock(mu_);
  const bool generated = in.password.empty();
  const std::string password = generated ? NewTemporaryPassword() : in.password;
  GOSLINE_RETURN_IF_ERROR(
      accounts_.AddUserForFirstSignIn(in.login, in.display_name, in.role, password, actor));
  Audit(actor, "user.create", in.login,
        "role " + in.role + (generated ? "; temporary password issued" : "; temporary password set") +
            "; password and authenticator set by the user at first sign-in");
  return IssuedTemporaryPassword{generated ? password : ""};
}

Result<StaffAccount> StaffAdmin::Update(const std::string& login, const StaffAccountPatch& patch,
                                        const std::string& actor) {
  if (!patch.display_name && !patch.role && !patch.disabled) {
    return Status::InvalidArgument("nothing to change: give display_name, role or disabled");
  }
  if (patch.role) GOSLINE_RETURN_IF_ERROR(RoleKnown(*patch.role));
  if (patch.display_name) GOSLINE_RETURN_IF_ERROR(DisplayNameOk(*patch.display_name));
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(security::StaffUser u, store_.FindUser(login));
  const bool disabling = patch.disabled.value_or(false) && !u.disabled;
  const bool role_changes = patch.role && *patch.role != u.role;
  if (disabling && actor == "user:" + login) {
    return Status::FailedPrecondition("you cannot disable your own account");
  }
  if (disabling || role_changes) GOSLINE_RETURN_IF_ERROR(KeepOneSecurityAdministrator(u));

  std::string detail;
  auto note = [&detail](const std::string& s) { detail += (detail.empty() ? "" : "; ") + s; };
  if (role_changes) {
    note("role " + u.role + " -> " + *patch.role);
    u.role = *patch.role;
  }
  if (patch.disabled && *patch.disabled != u.disabled) {
    note(*patch.disabled ? "disabled" : "enabled");
    u.disabled = *patch.disabled;
  }
  if (patch.display_name && *patch.display_name != u.display_name) {
    note("display name changed");
    u.display_name = *patch.display_name;
  }
  if (detail.empty()) return View(u);  // nothing differs: no write, no record
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  // A session carries the role it was opened with in people's minds, if not
  // in the server's: a new role or a disabled account starts from sign-in.
  Status ended = Status::Ok();
  if (role_changes || disabling) {
    ended = store_.DeleteUserSessions(u.id);
    note(ended.ok() ? "sessions ended" : "sessions not ended: " + ended.message());
  }
  Audit(actor, "user.update", login, detail);  // the change is written: record it either way
  if (!ended.ok()) return ended;
  return View(u);
}

Status StaffAdmin::ResetTotp(const std::string& login, const std::string& actor) {
  MutexLock lock(mu_);
  GOSLINE_RETURN_IF_ERROR(accounts_.ClearTotp(login, actor));
  Audit(actor, "user.totp_reset", login,
        "authenticator and recovery codes removed; the user enrols a new one at next sign-in; "
        "sessions ended");
  return Status::Ok();
}

Result<std::string> StaffAdmin::ResetPassword(const std::string& login, const std::string& actor) {
  MutexLock lock(mu_);
  const std::string password = NewTemporaryPassword();
  GOSLINE_RETURN_IF_ERROR(accounts_.IssueTemporaryPassword(login, password, actor));
  Audit(actor, "user.password_reset", login,
        "temporary password issued, replaced by the user at next sign-in; sessions ended");
  return password;
}

Result<StaffAccount> StaffAdmin::Unlock(const std::string& login, const std::string& actor) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(security::StaffUser u, store_.FindUser(login));
  const bool was_locked =
      lockout_.locked_until && lockout_.locked_until(login).has_value();
  if (lockout_.unlock) lockout_.unlock(login);
  u.failed_logins = 0;
  GOSLINE_RETURN_IF_ERROR(store_.UpdateUser(u));
  Audit(actor, "user.unlock", login,
        was_locked ? "lockout cleared" : "failure count cleared (was not locked)");
  return View(u);
}

}  // namespace gosline
