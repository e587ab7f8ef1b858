// The security adapters a command or the server needs, built from the
// `security:` section: the data key (TOTP secrets are encrypted under it),
// the staff store and the audit log of storage.driver (SQLite: in the case
// database and a file beside it; PostgreSQL: the database every node
// shares, R4), and the StaffAuth service joining them. serve and the
// user/apikey/audit commands all start here, so they agree on paths and
// policies.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "core/common/system_clock.h"
#include "config/config.h"
#include "core/common/status.h"
#include "security/audit_log.h"
#include "security/field_cipher.h"
#include "security/password_hasher.h"
#include "security/staff_auth.h"
#include "security/staff_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline::cli {

struct SecurityStack {
  SystemClock clock;
  std::shared_ptr<const security::FieldCipher> cipher;  // null without a data key
  std::unique_ptr<security::PasswordHasher> hasher;
  std::unique_ptr<security::StaffStore> staff;
  std::unique_ptr<security::AuditLog> audit;
  std::unique_ptr<security::StaffAuth> auth;
  std::string audit_path;  // where the audit log is, for messages: a file or the database
  std::string key_note;  // one line for the log: where the key came from, or why there is none
};

// security.audit_path, or the case database's path + ".audit".
std::string AuditPathFor(const Config& config);

// Creates the key file (directory 0700, file 0600) with one fresh key when it
// does not exist; returns whether it created it.
Result<bool> CreateKeyFileIfMissing(const std::string& path);

// Opens everything for the registry of config.storage. A key file that
// exists but is unreadable, too open or malformed is an error (nothing is
// touched); no key at all only leaves `cipher` null. With storage.driver
// postgres, `postgres` is the database already open (serve), or null to
// open it here (commands).
Result<std::unique_ptr<SecurityStack>> OpenSecurity(
    const Config& config, std::shared_ptr<PostgresDatabase> postgres = nullptr);

// The audit log of config.storage.driver: the SQLite file of AuditPathFor,
// or the PostgreSQL database that every node shares.
Result<std::unique_ptr<security::AuditLog>> OpenAuditLog(const Config& config);

// Where the audit log of `config` is, for messages.
std::string AuditLocation(const Config& config);

// The demo's bootstrap API key: when security.bootstrap_api_key.file is set
// and does not hold a working key, creates one and writes it there (0600).
// Returns the file's path when it wrote it, "" when nothing was needed.
Result<std::string> BootstrapApiKey(SecurityStack& stack, const Config& config);

// Appends one record, printing a warning to err when it cannot.
void AuditOrWarn(SecurityStack& stack, const security::AuditEntry& entry, std::ostream& err);

// Appends one record by CliActor() to the audit log of `config` (imports,
// exports); prints a warning to err when it cannot.
void AuditCliAction(const Config& config, const std::string& action, const std::string& object,
                    const std::string& detail, std::ostream& err);

// "cli:<user>" from $USER, for audit records of commands.
std::string CliActor();

}  // namespace gosline::cli
