#include "cli/security_context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/keys_command.h"
#include "cli/postgres_registry.h"
#include "security/key_ring.h"
#include "storage/postgres/postgres_audit_store.h"
#include "storage/postgres/postgres_staff_store.h"

namespace gosline::cli {
namespace fs = std::filesystem;

std::string AuditPathFor(const Config& config) {
  if (!config.security.audit_path.empty()) return config.security.audit_path;
  return config.storage.path + ".audit";
}

std::string AuditLocation(const Config& config) {
  if (config.storage.driver == "postgres") return RegistryLocation(config.storage);
  return AuditPathFor(config);
}

namespace {

// The shared database of storage.driver postgres, opened with the data key
// it was made with (a clear database without one).
Result<std::shared_ptr<PostgresDatabase>> OpenSharedDatabase(const Config& config) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const RowCipher> cipher, DataCipherFor(config));
  return OpenPostgresRegistry(config.storage, std::move(cipher));
}

}  // namespace

Result<std::unique_ptr<security::AuditLog>> OpenAuditLog(const Config& config) {
  if (config.storage.driver == "postgres") {
    GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenSharedDatabase(config));
    return std::make_unique<security::AuditLog>(std::make_unique<PostgresAuditStore>(std::move(db)));
  }
  return security::AuditLog::Open(AuditPathFor(config));
}

std::string CliActor() {
  const char* user = std::getenv("USER");
  std::string name = user != nullptr && *user != '\0' ? user : "unknown";
  if (name.size() > 64) name.resize(64);
  return "cli:" + name;
}

Result<bool> CreateKeyFileIfMissing(const std::string& path) {
  std::error_code ec;
  if (fs::exists(path, ec)) return false;
  const fs::path p(path);
  if (p.has_parent_path()) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) return Status::IoError("cannot create " + p.parent_path().string() + ": " + ec.message());
    ::chmod(p.parent_path().c_str(), 0700);
  }
  // O_EXCL: two processes starting at once do not overwrite each other's key.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    return Status::IoError("cannot create the key file " + path);
  }
  const std::string text = "# gosline data key: keep it outside backups of the database\n" +
                           security::KeyRing::NewKeyEntry("k1") + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Status::IoError("cannot write the key file " + path);
  return true;
}

Result<std::unique_ptr<SecurityStack>> OpenSecurity(const Config& config,
                                                    std::shared_ptr<PostgresDatabase> postgres) {
  auto stack = std::make_unique<SecurityStack>();
  const SecuritySettings& s = config.security;
  if (s.create_key_if_missing && !s.key_file.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(bool created, CreateKeyFileIfMissing(s.key_file));
    if (created) stack->key_note = "created the data key file " + s.key_file + " (0600); ";
  }
  Result<security::KeyRing> ring = security::KeyRing::Load(s.key_file);
  if (ring.ok()) {
    GOSLINE_ASSIGN_OR_RETURN(security::FieldCipher cipher,
        security::FieldCipher::Create(std::make_shared<const security::KeyRing>(std::move(*ring))));
    stack->cipher = std::make_shared<const security::FieldCipher>(std::move(cipher));
    stack->key_note += "data key from " + (s.key_file.empty() ? std::string(security::kDataKeyEnv)
                                                              : s.key_file);
  } else if (ring.status().code() == Status::Code::kFailedPrecondition && s.key_file.empty()) {
    stack->key_note += "no data key (security.key_file): staff cannot enrol a second factor";
  } else {
    return Status::FailedPrecondition("data key: " + ring.status().message() +
                                      "; refusing to start (no data was touched)");
  }

  security::PasswordHashLimits limits = security::PasswordHashLimits::Moderate();
  if (s.password_hash == "interactive") limits = security::PasswordHashLimits::Interactive();
  if (s.password_hash == "minimum") limits = security::PasswordHashLimits::Minimum();
  // Hashing off the caller's thread (the HTTP I/O threads when serving), at
  // most so many at once and so many waiting (security.password_workers/queue).
  stack->hasher = std::make_unique<security::PasswordHasher>(
      limits, std::make_shared<security::HashingWorkers>(
                  s.password_workers, static_cast<size_t>(s.password_queue)));

  stack->audit_path = AuditLocation(config);
  if (config.storage.driver == "postgres") {
    // R4: every node signs staff in against, and audits into, the one database.
    if (!postgres) {
      GOSLINE_ASSIGN_OR_RETURN(postgres, OpenSharedDatabase(config));
    }
    stack->staff = std::make_unique<PostgresStaffStore>(postgres);
    stack->audit =
        std::make_unique<security::AuditLog>(std::make_unique<PostgresAuditStore>(postgres));
  } else {
    const fs::path db(config.storage.path);
    std::error_code ec;
    if (db.has_parent_path()) fs::create_directories(db.parent_path(), ec);
    GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::StaffStore> staff,
        security::SqliteStaffStore::Open(config.storage.path));
    stack->staff = std::move(staff);
    GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::AuditLog> audit,
        security::AuditLog::Open(AuditPathFor(config)));
    stack->audit = std::move(audit);
  }

  security::StaffAuthPolicy policy;
  using std::chrono::minutes;
  policy.session.idle_timeout = minutes(s.session_idle_minutes);
  policy.session.absolute_timeout = minutes(s.session_absolute_minutes);
  policy.lockout.account.threshold = static_cast<uint32_t>(s.lockout_account_failures);
  policy.lockout.account.window = minutes(s.lockout_window_minutes);
  policy.lockout.account.first_lockout = minutes(s.lockout_account_minutes);
  policy.lockout.address.threshold = static_cast<uint32_t>(s.lockout_address_failures);
  policy.lockout.address.window = minutes(s.lockout_window_minutes);
  policy.lockout.address.first_lockout = minutes(s.lockout_address_minutes);
  stack->auth = std::make_unique<security::StaffAuth>(*stack->staff, *stack->hasher, stack->cipher,
                                                      stack->audit.get(), stack->clock, policy);
  return stack;
}

Result<std::string> BootstrapApiKey(SecurityStack& stack, const Config& config) {
  const std::string& file = config.security.bootstrap_api_key_file;
  if (file.empty()) return std::string();
  {
    std::ifstream in(file);
    std::string existing;
    if (in && std::getline(in, existing) && stack.auth->AuthenticateApiKey(existing).ok()) {
      return std::string();
    }
  }
  Result<security::ScopeSet> scopes = security::ScopeSet::Parse(config.security.bootstrap_api_key_scopes);
  if (!scopes.ok()) return Status::InvalidArgument("security.bootstrap_api_key.scopes: " +
                                                   scopes.status().message());
  Result<security::IssuedApiKey> key =
      stack.auth->CreateApiKey("demo bootstrap", *scopes, "system:bootstrap");
  if (!key.ok()) return key.status();
  const fs::path p(file);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  const std::string tmp = file + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Status::IoError("cannot write " + tmp);
  const std::string text = key->key + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::fchmod(fd, 0600);
  ::close(fd);
  if (!ok) return Status::IoError("cannot write " + tmp);
  fs::rename(tmp, file, ec);
  if (ec) return Status::IoError("cannot rename " + tmp + ": " + ec.message());
  return file;
}

void AuditCliAction(const Config& config, const std::string& action, const std::string& object,
                    const std::string& detail, std::ostream& err) {
  Result<std::unique_ptr<security::AuditLog>> log = OpenAuditLog(config);
  Result<security::AuditRecord> r =
      log.ok() ? (*log)->Append({CliActor(), action, object.substr(0, 256), detail.substr(0, 4096)},
                                SystemClock().Now())
               : Result<security::AuditRecord>(log.status());
  if (!r.ok()) err << "warning: cannot write the audit record: " << r.status().message() << "\n";
}

void AuditOrWarn(SecurityStack& stack, const security::AuditEntry& entry, std::ostream& err) {
  Result<security::AuditRecord> r = stack.audit->Append(entry, stack.clock.Now());
  if (!r.ok()) err << "warning: cannot write the audit record: " << r.status().message() << "\n";
}

}  // namespace gosline::cli
