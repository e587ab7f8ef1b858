// `gosline serve`: the command line, the stop signals and the served line's
// lifetime. What runs, in which order, is the composition root in
// cli/served_line.h. Stops gracefully on SIGINT/SIGTERM: calls in progress
// get BYE and their records are written, then in-flight requests finish and
// the stores close cleanly. SIGTERM (what systemd and orchestrators send)
// drains first (R4): for at most cluster.drain_seconds the node refuses new
// calls and its SIP front's probes while the calls it carries go on; a
// SIGINT during the drain stops at once. systemd hears READY=1, STOPPING=1
// and WATCHDOG=1 (cli/systemd_notifier.h).
#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <memory>

#include "cli/installation_integrity.h"
#include "cli/served_line.h"
#include "cli/serve_options.h"
#include "cli/systemd_notifier.h"
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

void Notified(const Status& st) {
  if (!st.ok()) spdlog::warn("systemd: {}", st.ToString());
}

// Waits while the node drains: until no call is left, the drain time is
// over, or SIGINT asks for a stop now. Looks every 200 ms, so the wait is
// bounded by the drain time.
void Drain(ServedLine& line, const sigset_t& stop_signals, SystemdNotifier& notifier) {
  const int seconds = line.config().cluster.drain_seconds;
  line.BeginDrain();
  Notified(notifier.Stopping("draining: " + std::to_string(line.CallsInProgress()) +
                             " calls in progress"));
  spdlog::info("draining: new calls refused, {} calls in progress, at most {} s",
               line.CallsInProgress(), seconds);
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(seconds);
  auto next_report = start + std::chrono::seconds(10);
  const timespec tick{0, 200'000'000};
  while (line.CallsInProgress() > 0 && std::chrono::steady_clock::now() < deadline) {
    if (sigtimedwait(&stop_signals, nullptr, &tick) == SIGINT) {
      spdlog::info("signal {} received while draining: stopping now", SIGINT);
      return;
    }
    if (std::chrono::steady_clock::now() >= next_report) {
      next_report += std::chrono::seconds(10);
      Notified(notifier.Notify("STATUS=draining: " + std::to_string(line.CallsInProgress()) +
                               " calls in progress"));
      spdlog::info("draining: {} calls in progress", line.CallsInProgress());
    }
  }
  const size_t left = line.CallsInProgress();
  if (left > 0) {
    spdlog::warn("drain time of {} s is over: ending the {} calls left", seconds, left);
  } else {
    spdlog::info("drained: no call in progress");
  }
}

int Serve(const ServeOptions& opts) {
  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and sigwait() below is the one place they arrive.
  const sigset_t stop_signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // R22: what runs must be what was signed, checked before anything starts.
  if (int rc = CheckBeforeServe(opts); rc != 0) return rc;
  std::unique_ptr<SystemdNotifier> notifier = SystemdNotifier::FromEnvironment();
  Result<std::unique_ptr<ServedLine>> line = ServedLine::Start(opts);
  if (!line.ok()) return 1;  // the step that failed has logged why
  // Everything listens now: SIP, RTP, HTTP.
  Notified(notifier->Ready("serving " + (*line)->config().service.name));
  // WATCHDOG=1 only while the SIP and media loops turn: a node whose loop
  // hangs is restarted by systemd instead of holding calls it cannot serve.
  ServedLine& served = **line;
  notifier->StartWatchdog([&served] { return served.LoopsAnswered(); });
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (sig == SIGTERM && (*line)->config().cluster.drain_seconds > 0) {
    spdlog::info("signal {} received, draining", sig);
    Drain(**line, stop_signals, *notifier);
  } else {
    spdlog::info("signal {} received, stopping", sig);
    Notified(notifier->Stopping("stopping"));
  }
  notifier->StopWatchdog();  // it asks the line, which stops now
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
