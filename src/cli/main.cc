// gosline: the one binary. Each subcommand lives in its own file and only
// wires adapters together; the rules live in src/core.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/check_config_command.h"
#include "cli/import_export_commands.h"
#include "cli/integrity_commands.h"
#include "cli/keys_command.h"
#include "cli/reports_command.h"
#include "cli/retention_command.h"
#include "cli/security_commands.h"
#include "cli/serve_command.h"

int main(int argc, char** argv) {
  CLI::App app{"gosline: the contact-center platform of the national government-services hotline"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("gosline ") + GOSLINE_VERSION);

  auto* version = app.add_subcommand("version", "Print the version and exit");
  version->callback([] { std::cout << "gosline " << GOSLINE_VERSION << "\n"; });

  gosline::cli::AddServeCommand(app);
  gosline::cli::AddCheckConfigCommand(app);
  gosline::cli::AddImportCommand(app);
  gosline::cli::AddExportCommand(app);
  gosline::cli::AddUserCommand(app);
  gosline::cli::AddApiKeyCommand(app);
  gosline::cli::AddAuditCommand(app);
  gosline::cli::AddKeysCommand(app);
  gosline::cli::AddRetentionCommand(app);
  gosline::cli::AddReportsCommand(app);
  gosline::cli::AddVerifyCommand(app);
  gosline::cli::AddReleaseCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const gosline::cli::ExitCode& e) {
    return e.code;
  }
  return 0;
}
