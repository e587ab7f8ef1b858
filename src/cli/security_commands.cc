#include "cli/security_commands.h"

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/exit_code.h"
#include "cli/security_context.h"
#include "security/audit_log.h"
#include "security/qr_code.h"

namespace gosline::cli {
namespace {

// Reads a password: one line from `in` with --password-stdin, else twice from
// the terminal with echo off.
std::optional<std::string> ReadPassword(bool from_stdin, std::istream& in, std::ostream& err) {
  std::string password;
  if (from_stdin) {
    if (!std::getline(in, password)) {
      err << "no password on standard input\n";
      return std::nullopt;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
  }
  if (!::isatty(STDIN_FILENO)) {
    err << "standard input is not a terminal: use --password-stdin\n";
    return std::nullopt;
  }
  auto ask = [&](const char* prompt) {
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    err << prompt << std::flush;
    std::string line;
    std::getline(std::cin, line);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    err << "\n";
    return line;
  };
  password = ask("Password: ");
  if (ask("Again: ") != password) {
    err << "the passwords differ\n";
    return std::nullopt;
  }
  return password;
}

// The configuration (with --db applied) and the security stack on it.
std::unique_ptr<SecurityStack> Open(const CliContext& ctx, std::ostream& err,
                                    bool must_exist = false, Config* config_out = nullptr) {
  std::optional<Config> config = LoadConfigOrReport(ctx.config_path, err);
  if (!config) return nullptr;
  if (!ctx.db_path.empty()) config->storage.path = ctx.db_path;
  std::error_code ec;
  if (must_exist && !std::filesystem::exists(config->storage.path, ec)) {
    err << "no case registry at " << config->storage.path << "\n";
    return nullptr;
  }
  Result<std::unique_ptr<SecurityStack>> stack = OpenSecurity(*config);
  if (!stack.ok()) {
    err << "cannot open security for " << config->storage.path << ": " << stack.status().message()
        << "\n";
    return nullptr;
  }
  if (config_out != nullptr) *config_out = *config;
  return std::move(stack).value();
}

void PrintError(const Status& st, std::ostream& err) {
  err << "error: ";
  if (!st.field().empty()) err << st.field() << ": ";
  err << st.message() << "\n";
}

void PrintEnrolment(const std::string& login, const security::TotpEnrolment& e, std::ostream& out) {
  out << "Second factor for " << login << ": scan this QR code with an authenticator app\n";
  if (Result<security::QrCode> qr = security::QrCode::Encode(e.otpauth_uri); qr.ok()) {
    out << qr->ToTerminalText();
  }
  out << "or enter this URI: " << e.otpauth_uri << "\n";
  if (!e.recovery_codes.empty()) {
    out << "Recovery codes (each works once; keep them on paper, they are not shown again):\n";
    for (const std::string& c : e.recovery_codes) out << "  " << c << "\n";
  }
}

void AddContextOptions(CLI::App* cmd, CliContext& ctx) {
  cmd->add_option("-c,--config", ctx.config_path, "Configuration file (YAML)")->capture_default_str();
  cmd->add_option("--db", ctx.db_path, "SQLite database file (overrides storage.path)");
}

}  // namespace

int RunUserAdd(const UserCommandOptions& opts, std::istream& in, std::ostream& out,
               std::ostream& err) {
  auto stack = Open(opts.context, err);
  if (!stack) return 1;
  std::optional<std::string> password = ReadPassword(opts.password_stdin, in, err);
  if (!password) return 1;
  Result<security::TotpEnrolment> e =
      stack->auth->AddUser(opts.login, opts.name, opts.role, *password, CliActor());
  if (!e.ok()) {
    PrintError(e.status(), err);
    return 1;
  }
  out << "added " << opts.login << " (" << opts.role << ")\n";
  PrintEnrolment(opts.login, *e, out);
  return 0;
}

int RunUserPasswd(const UserCommandOptions& opts, std::istream& in, std::ostream& out,
                  std::ostream& err) {
  auto stack = Open(opts.context, err, /*must_exist=*/true);
  if (!stack) return 1;
  std::optional<std::string> password = ReadPassword(opts.password_stdin, in, err);
  if (!password) return 1;
  Status st = stack->auth->SetPassword(opts.login, *password, CliActor());
  if (!st.ok()) {
    PrintError(st, err);
    return 1;
  }
  out << "password of " << opts.login << " changed; their sessions ended\n";
  return 0;
}

int RunUserTotpReset(const UserCommandOptions& opts, std::ostream& out, std::ostream& err) {
  auto stack = Open(opts.context, err, /*must_exist=*/true);
  if (!stack) return 1;
  Result<security::TotpEnrolment> e = stack->auth->ResetTotp(opts.login, CliActor());
  if (!e.ok()) {
    PrintError(e.status(), err);
    return 1;
  }
  PrintEnrolment(opts.login, *e, out);
  return 0;
}

int RunApiKeyCreate(const CliContext& ctx, const std::string& scopes, const std::string& name,
                    std::ostream& out, std::ostream& err) {
  Result<security::ScopeSet> set = security::ScopeSet::Parse(scopes);
  if (!set.ok()) {
    PrintError(set.status(), err);
    return 2;
  }
  auto stack = Open(ctx, err);
  if (!stack) return 1;
  Result<security::IssuedApiKey> key = stack->auth->CreateApiKey(name, *set, CliActor());
  if (!key.ok()) {
    PrintError(key.status(), err);
    return 1;
  }
  err << "API key " << key->id << " with scopes " << set->ToString()
      << " (shown once; send it as Authorization: Bearer <key>):\n";
  out << key->key << "\n";
  return 0;
}

int RunApiKeyRevoke(const CliContext& ctx, const std::string& id, std::ostream& out,
                    std::ostream& err) {
  auto stack = Open(ctx, err, /*must_exist=*/true);
  if (!stack) return 1;
  Status st = stack->auth->RevokeApiKey(id, CliActor());
  if (!st.ok()) {
    PrintError(st, err);
    return 1;
  }
  out << "revoked " << id << "\n";
  return 0;
}

int RunAuditVerify(const CliContext& ctx, const std::string& anchor_text, std::ostream& out,
                   std::ostream& err) {
  std::optional<Config> config = LoadConfigOrReport(ctx.config_path, err);
  if (!config) return 1;
  if (!ctx.db_path.empty()) config->storage.path = ctx.db_path;
  std::optional<security::AuditAnchor> anchor;
  if (!anchor_text.empty()) {
    const size_t colon = anchor_text.find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument("no colon");
      anchor = security::AuditAnchor{std::stoll(anchor_text.substr(0, colon)),
                                     anchor_text.substr(colon + 1)};
    } catch (const std::exception&) {
      err << "--anchor: expected SEQ:HASH as printed by an earlier verify\n";
      return 2;
    }
  }
  const std::string path = AuditLocation(*config);
  Result<security::AuditVerifyReport> report = Status::Internal("not read");
  if (config->storage.driver == "postgres") {
    // R4: the one chain that every node of the line appends to.
    Result<std::unique_ptr<security::AuditLog>> log = OpenAuditLog(*config);
    report = log.ok() ? security::VerifyAuditStore((*log)->store(), anchor)
                      : Result<security::AuditVerifyReport>(log.status());
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      err << "no audit log at " << path << "\n";
      return 1;
    }
    report = security::VerifyAuditChain(path, anchor);
  }
  if (!report.ok()) {
    err << "cannot read the audit log " << path << ": " << report.status().message() << "\n";
    return 1;
  }
  if (!report->ok) {
    err << path << ": record " << report->first_bad_seq << ": "
        << security::AuditProblemName(report->problem) << ": " << report->reason << "\n";
    return 1;
  }
  out << path << ": ok, " << report->records << " records; head " << report->last_seq << ":"
      << report->last_hash << "\n";
  return 0;
}

void AddUserCommand(CLI::App& app) {
  auto* user = app.add_subcommand("user", "Staff accounts: add, passwd, totp-reset");
  user->require_subcommand(1);

  auto add_opts = std::make_shared<UserCommandOptions>();
  auto* add = user->add_subcommand("add", "Add a member of staff and print their TOTP enrolment");
  add->add_option("login", add_opts->login, "Login (lowercase latin letters, digits, . _ -)")
      ->required();
  add->add_option("--role", add_opts->role,
                  "operator, supervisor, administrator, security_administrator or "
                  "compliance_controller")
      ->required();
  add->add_option("--name", add_opts->name, "Display name");
  add->add_flag("--password-stdin", add_opts->password_stdin, "Read the password from stdin");
  AddContextOptions(add, add_opts->context);
  add->callback([add_opts] {
    if (int rc = RunUserAdd(*add_opts, std::cin, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });

  auto pw_opts = std::make_shared<UserCommandOptions>();
  auto* passwd = user->add_subcommand("passwd", "Set a new password (ends the user's sessions)");
  passwd->add_option("login", pw_opts->login, "Login")->required();
  passwd->add_flag("--password-stdin", pw_opts->password_stdin, "Read the password from stdin");
  AddContextOptions(passwd, pw_opts->context);
  passwd->callback([pw_opts] {
    if (int rc = RunUserPasswd(*pw_opts, std::cin, std::cout, std::cerr); rc != 0) {
      throw ExitCode{rc};
    }
  });

  auto reset_opts = std::make_shared<UserCommandOptions>();
  auto* reset = user->add_subcommand(
      "totp-reset", "New TOTP secret and recovery codes for a lost phone (ends sessions)");
  reset->add_option("login", reset_opts->login, "Login")->required();
  AddContextOptions(reset, reset_opts->context);
  reset->callback([reset_opts] {
    if (int rc = RunUserTotpReset(*reset_opts, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

void AddApiKeyCommand(CLI::App& app) {
  auto* apikey = app.add_subcommand("apikey", "Integration API keys: create, revoke");
  apikey->require_subcommand(1);

  struct CreateOpts {
    CliContext context;
    std::string scopes;
    std::string name = "integration";
  };
  auto c = std::make_shared<CreateOpts>();
  auto* create = apikey->add_subcommand("create", "Create a key; prints it once on stdout");
  create->add_option("--scopes", c->scopes, "Space or comma separated, e.g. \"cases:read cases:write\"")
      ->required();
  create->add_option("--name", c->name, "What the key is for")->capture_default_str();
  AddContextOptions(create, c->context);
  create->callback([c] {
    if (int rc = RunApiKeyCreate(c->context, c->scopes, c->name, std::cout, std::cerr); rc != 0) {
      throw ExitCode{rc};
    }
  });

  struct RevokeOpts {
    CliContext context;
    std::string id;
  };
  auto r = std::make_shared<RevokeOpts>();
  auto* revoke = apikey->add_subcommand("revoke", "Revoke a key by its id");
  revoke->add_option("id", r->id, "The 12-character id (gsk_<id>_...)")->required();
  AddContextOptions(revoke, r->context);
  revoke->callback([r] {
    if (int rc = RunApiKeyRevoke(r->context, r->id, std::cout, std::cerr); rc != 0) {
      throw ExitCode{rc};
    }
  });
}

void AddAuditCommand(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "The audit log: verify");
  audit->require_subcommand(1);
  struct VerifyOpts {
    CliContext context;
    std::string anchor;
  };
  auto v = std::make_shared<VerifyOpts>();
  auto* verify = audit->add_subcommand(
      "verify", "Check the hash chain; exit 1 naming the first altered, missing or reordered record");
  verify->add_option("--anchor", v->anchor, "SEQ:HASH printed by an earlier verify, kept elsewhere");
  AddContextOptions(verify, v->context);
  verify->callback([v] {
    if (int rc = RunAuditVerify(v->context, v->anchor, std::cout, std::cerr); rc != 0) {
      throw ExitCode{rc};
    }
  });
}

}  // namespace gosline::cli
