// Wires the adapters around the core for a running hotline: configuration,
// the case store, the application services, the HTTP API. Stops gracefully on
// SIGINT/SIGTERM: in-flight requests finish, the store closes cleanly.
#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/case_service.h"
#include "app/clock.h"
#include "app/config_vocabulary.h"
#include "config/config_loader.h"
#include "core/cases/case_workflow.h"
#include "http/api_routes.h"
#include "http/http_server.h"
#include "http/router.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::cli {
namespace {

struct ServeOptions {
  std::string config_path = "config/gosline.yaml";
  std::string listen;       // overrides http.listen
  int port = -1;            // overrides http.port
  std::string db;           // overrides storage.path
  bool no_telephony = false;
};

// Blocks until SIGINT or SIGTERM arrives; returns the signal number.
int WaitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int Serve(const ServeOptions& opts) {
  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and sigwait() below is the one place they arrive.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ConfigLoadResult loaded = LoadConfigFile(opts.config_path);
  if (!loaded.ok()) {
    for (const ConfigError& e : loaded.errors) std::cerr << e.ToString() << "\n";
    std::cerr << opts.config_path << ": " << loaded.errors.size()
              << " error(s); refusing to start\n";
    return 1;
  }
  Config config = std::move(loaded.config);
  if (!opts.listen.empty()) config.http.listen = opts.listen;
  if (opts.port >= 0) config.http.port = static_cast<uint16_t>(opts.port);
  if (!opts.db.empty()) config.storage.path = opts.db;

  SqliteOptions store_opts;
  if (auto sync = ParseSqliteSync(config.storage.synchronous)) store_opts.synchronous = *sync;
  std::filesystem::path db_path(config.storage.path);
  if (db_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(db_path.parent_path(), ec);
  }
  auto store = SqliteCaseStore::Open(config.storage.path, store_opts);
  if (!store.ok()) {
    spdlog::error("cannot open the case registry {}: {}", config.storage.path,
                  store.status().ToString());
    return 1;
  }

  SystemClock clock;
  ConfigVocabulary vocabulary(config);
  BusinessCalendar escalation_calendar = config.EscalationCalendar();
  CaseWorkflow workflow(vocabulary, escalation_calendar, config.escalation.business_days);
  CaseService cases(**store, workflow, clock);

  http::Router router;
  Status routes = http::AddApiRoutes(router, cases, **store, GOSLINE_VERSION);
  if (!routes.ok()) {
    spdlog::error("cannot set up the API: {}", routes.ToString());
    return 1;
  }
  http::HttpServer server(config.http, router);
  if (Status st = server.Start(); !st.ok()) {
    spdlog::error("cannot start HTTP on {}:{}: {}", config.http.listen, config.http.port,
                  st.ToString());
    return 1;
  }
  spdlog::info("gosline {} serving '{}' ({} numbers) - HTTP on http://{}:{} - registry {}",
               GOSLINE_VERSION, config.service.name, config.service.numbers.size(),
               config.http.listen, server.port(), config.storage.path);

  int sig = WaitForStopSignal();
  spdlog::info("signal {} received, stopping", sig);
  server.Stop();
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
  cmd->callback([opts] {
    int rc = Serve(*opts);
    if (rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
