// `gosline serve`: the command line, the stop signals and the served line's
// lifetime. What runs, in which order, is the composition root in
// cli/served_line.h. Stops gracefully on SIGINT/SIGTERM: calls in progress
// get BYE and their records are written, then in-flight requests finish and
// the stores close cleanly.
#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <memory>

#include "cli/installation_integrity.h"
#include "cli/served_line.h"
#include "cli/serve_options.h"
#include "config/telephony_config_loader.h"

namespace gosline::cli {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

int Serve(const ServeOptions& opts) {
  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and sigwait() below is the one place they arrive.
  const sigset_t stop_signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // R22: what runs must be what was signed, checked before anything starts.
  if (int rc = CheckBeforeServe(opts); rc != 0) return rc;
  Result<std::unique_ptr<ServedLine>> line = ServedLine::Start(opts);
  if (!line.ok()) return 1;  // the step that failed has logged why
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("signal {} received, stopping", sig);
  (*line)->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto opts = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run the hotline on a configuration");
  cmd->add_option("-c,--config", opts->config_path, "Configuration file (YAML)")
      ->capture_default_str();
  cmd->add_option("--listen", opts->listen, "HTTP listen address (overrides http.listen)");
  cmd->add_option("--port", opts->port, "HTTP port, 0 = any free (overrides http.port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--db", opts->db, "SQLite database file (overrides storage.path)");
  cmd->add_flag("--no-telephony", opts->no_telephony, "Do not start SIP/RTP (API only)");
  cmd->add_option("--sip-port", opts->sip_port, "SIP port (overrides telephony.sip.port)")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--rtp-ports", opts->rtp_ports,
                  "RTP port range like 30000-39999 (overrides telephony.rtp.ports)")
      ->check([](const std::string& s) {
        return ParsePortRange(s) ? std::string() : "expected a port range like 30000-39999";
      });
  cmd->add_option("--max-calls", opts->max_calls, "Calls at once (overrides telephony.max_calls)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--release-key", opts->release_key,
                  "Release public key (release.pub): check the installation against its signed manifest first");
  cmd->add_flag("--allow-unverified", opts->allow_unverified,
                "Start even when the installation does not match its signed manifest (audited)");
  cmd->callback([opts] {
    int rc = Serve(*opts);
    if (rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
