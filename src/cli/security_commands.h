// Staff accounts, API keys and the audit log from the command line (R19-R21):
//   gosline user add LOGIN --role R [--name N] [--password-stdin]
//   gosline user passwd LOGIN [--password-stdin]
//   gosline user totp-reset LOGIN
//   gosline apikey create --scopes "cases:read cases:write" [--name N]
//   gosline apikey revoke ID
//   gosline audit verify [--anchor SEQ:HASH]
// Each takes --config and --db like import/export.
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <ostream>
#include <string>

#include "cli/cli_context.h"

namespace gosline::cli {

void AddUserCommand(CLI::App& app);
void AddApiKeyCommand(CLI::App& app);
void AddAuditCommand(CLI::App& app);

struct UserCommandOptions {
  CliContext context{};
  std::string login{};
  std::string role{};
  std::string name{};
  bool password_stdin = false;
};

// The commands, returning the exit code (for tests). `in` gives the password
// with password_stdin; otherwise it is asked for on the terminal.
int RunUserAdd(const UserCommandOptions& opts, std::istream& in, std::ostream& out,
               std::ostream& err);
int RunUserPasswd(const UserCommandOptions& opts, std::istream& in, std::ostream& out,
                  std::ostream& err);
int RunUserTotpReset(const UserCommandOptions& opts, std::ostream& out, std::ostream& err);
int RunApiKeyCreate(const CliContext& ctx, const std::string& scopes, const std::string& name,
                    std::ostream& out, std::ostream& err);
int RunApiKeyRevoke(const CliContext& ctx, const std::string& id, std::ostream& out,
                    std::ostream& err);
// 0: the chain is intact; 1: it is not (naming the first bad record) or
// cannot be read.
int RunAuditVerify(const CliContext& ctx, const std::string& anchor, std::ostream& out,
                   std::ostream& err);

}  // namespace gosline::cli
