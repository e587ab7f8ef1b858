// Wires the adapters around the core for a running hotline: configuration,
// the case store, the application services, the SIP endpoint with the IVR
// (unless --no-telephony) and the HTTP API. Stops gracefully on
// SIGINT/SIGTERM: calls in progress get BYE and their records are written,
// then in-flight requests finish and the store closes cleanly.
#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "app/case_service.h"
#include "core/common/system_clock.h"
#include "config/config_vocabulary.h"
#include "app/contact_center/contact_center.h"
#include "app/contact_center/recording_sealer.h"
#include "app/contact_center/routing_applier.h"
#include "security/recording_cipher.h"
#include "config/config_loader.h"
#include "config/routing_config_loader.h"
#include "core/cases/case_workflow.h"
#include "cli/keys_command.h"
#include "cli/retention_command.h"
#include "cli/security_context.h"
#include "app/admin/config_editor.h"
#include "app/data_rights_service.h"
#include "app/staff_admin.h"
#include "http/case_visibility.h"
#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "http/api_routes.h"
#include "http/admin_config_routes.h"
#include "http/audit_hook.h"
#include "http/session_authorizer.h"
#include "http/http_server.h"
#include "http/knowledge_routes.h"
#include "knowledge/knowledge_base.h"
#include "http/live_hub.h"
#include "http/live_hub_wallboard.h"
#include "http/public_status_routes.h"
#include "http/report_routes.h"
#include "storage/sqlite/sqlite_call_report_reader.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/user_routes.h"
#include "config/telephony_config_loader.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#ifdef GOSLINE_HAVE_TELEPHONY
#include "telephony/hotline_telephony.h"
#endif

namespace gosline::cli {
namespace {

struct ServeOptions {
  std::string config_path = "config/gosline.yaml";
  std::string listen;       // overrides http.listen
  int port = -1;            // overrides http.port
  std::string db;           // overrides storage.path
  bool no_telephony = false;
  int sip_port = -1;        // overrides telephony.sip.port
  std::string rtp_ports;    // overrides telephony.rtp.ports ("30000-39999")
  int max_calls = -1;       // overrides telephony.max_calls
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
  // The command line's overrides; the configuration editor re-applies them to
  // every edited config (edits change the file, not these).
  auto cli_overrides = [opts](Config& c) {
    if (!opts.listen.empty()) c.http.listen = opts.listen;
    if (opts.port >= 0) c.http.port = static_cast<uint16_t>(opts.port);
    if (!opts.db.empty()) c.storage.path = opts.db;
    // Telephony gets these as TelephonyOverrides too; here so that an applier
    // comparing an edited config with the running one sees no change in them.
    if (opts.sip_port >= 0) c.telephony.sip_port = static_cast<uint16_t>(opts.sip_port);
    if (auto range = ParsePortRange(opts.rtp_ports)) {
      c.telephony.rtp_port_min = range->first;
      c.telephony.rtp_port_max = range->second;
    }
    if (opts.max_calls > 0) c.telephony.max_calls = opts.max_calls;
  };
  cli_overrides(config);

  // R22: personal data is sealed under the data key, kept outside the
  // database. A key that is set but wrong or unreadable stops the start
  // before anything is written.
  if (config.security.create_key_if_missing && !config.security.key_file.empty()) {
    Result<bool> created = CreateKeyFileIfMissing(config.security.key_file);
    if (!created.ok()) {
      spdlog::error("data key {}: {}", config.security.key_file, created.status().ToString());
      return 1;
    }
  }
  Result<std::shared_ptr<const sqlite::RowCipher>> data_cipher = DataCipherFor(config);
  if (!data_cipher.ok()) {
    spdlog::error("data key {}: {}", config.security.key_file, data_cipher.status().ToString());
    return 1;
  }
  std::shared_ptr<const sqlite::RowCipher> cipher = std::move(data_cipher).value();
  if (!cipher) spdlog::warn("no data key configured: personal data is stored in clear");

  SqliteOptions store_opts;
  if (auto sync = ParseSqliteSync(config.storage.synchronous)) store_opts.synchronous = *sync;
  store_opts.cipher = cipher;
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

  // The contact centre (issue 4): operators, queues, the case of each call.
  // It runs with or without telephony (the API still shows operators and queues).
  auto outcomes = SqliteCallOutcomeStore::Open(config.storage.path, cipher);
  if (!outcomes.ok()) {
    spdlog::error("cannot open the call records {}: {}", config.storage.path,
                  outcomes.status().ToString());
    return 1;
  }
  contact_center::CentreOptions centre_opts;
  centre_opts.announce_every = config.centre.announce_every;
  for (const auto& [id, phone] : config.centre.phones) {
    if (!phone.contact.empty()) centre_opts.contacts[id] = phone.contact;
  }
  auto centre = contact_center::ContactCenter::Create(RoutingTopologyOf(config), config.routing,
                                                      centre_opts, cases, outcomes->get(), clock);
  if (!centre.ok()) {
    spdlog::error("cannot start the contact centre: {}", centre.status().ToString());
    return 1;
  }
  (*centre)->Start();
  spdlog::info("contact centre: {} operators, {} queues", config.routing.operators.size(),
               config.queues.size());

#ifdef GOSLINE_HAVE_TELEPHONY
  // Before HTTP, so that a ready API means a ready line; prompts are
  // synthesised here on the first start (cached afterwards).
  // R22/R30: with a data key, each recording is sealed before the centre links it.
  std::unique_ptr<contact_center::RecordingSealer> sealer;
  contact_center::CallCenterPort* centre_port = centre->get();
  if (cipher) {
    sealer = std::make_unique<contact_center::RecordingSealer>(
        **centre,
        [cipher](const std::string& path) { return security::SealRecording(*cipher, path); },
        [](const std::string& path, const Status& st) {
          spdlog::error("recording {} is kept in clear: {}", path, st.ToString());
        });
    centre_port = sealer.get();
  }
  std::unique_ptr<telephony::HotlineTelephony> phone;
  if (!opts.no_telephony) {
    telephony::TelephonyOverrides overrides;
    if (opts.sip_port >= 0) overrides.sip_port = static_cast<uint16_t>(opts.sip_port);
    if (!opts.rtp_ports.empty()) overrides.rtp_ports = ParsePortRange(opts.rtp_ports);
    if (opts.max_calls > 0) overrides.max_calls = opts.max_calls;
    auto started = telephony::HotlineTelephony::Start(config, overrides, cases, clock, cipher);
    if (!started.ok()) {
      spdlog::error("cannot start telephony: {}", started.status().ToString());
      return 1;
    }
    phone = std::move(started).value();
#ifdef GOSLINE_TELEPHONY_HAS_CALL_CENTER
    phone->AttachCallCenter(centre_port);
    (*centre)->SetConnector(&phone->call_connector());
#else
    spdlog::warn("telephony does not hand calls to the contact centre yet (IVR only)");
#endif
  }
#else
  if (!opts.no_telephony) spdlog::warn("built without the telephony layer: HTTP only");
#endif

  // R19-R21: staff sign-in, API keys, a role per route, the audit log.
  Result<std::unique_ptr<SecurityStack>> security = OpenSecurity(config);
  if (!security.ok()) {
    spdlog::error("cannot start security: {}", security.status().ToString());
    return 1;
  }
  SecurityStack& sec = **security;
  spdlog::info("security: {}; audit log {}", sec.key_note, sec.audit_path);
  Result<std::string> bootstrap = BootstrapApiKey(sec, config);
  if (!bootstrap.ok()) {
    spdlog::error("cannot create the bootstrap API key: {}", bootstrap.status().ToString());
    return 1;
  }
  if (!bootstrap->empty()) {
    spdlog::warn("demo: created an API key (cases:read cases:write) in {} (0600); send it as "
                 "Authorization: Bearer $(cat {})", *bootstrap, *bootstrap);
  }

  // R24: consents and citizens' requests (export, correction, deletion).
  auto consents = SqliteConsentStore::Open(config.storage.path, cipher);
  auto erasure = SqliteRetentionStore::Open(config.storage.path, cipher);
  SqliteCallRecordStore::Options record_opts;
  record_opts.cipher = cipher;
  auto call_records = SqliteCallRecordStore::Open(config.storage.path, record_opts);
  for (const Status& st : {consents.status(), erasure.status(), call_records.status()}) {
    if (!st.ok()) {
      spdlog::error("cannot open the data-rights stores {}: {}", config.storage.path, st.ToString());
      return 1;
    }
  }
  security::AuditLog& audit_log = *sec.audit;
  DataRightsService data_rights(
      **store, **consents, **erasure, call_records->get(), config.EscalationCalendar(), clock,
      [&audit_log, &clock](const std::string& actor, const std::string& action,
                           const std::string& object, const std::string& detail) {
        Result<security::AuditRecord> r =
            audit_log.Append(security::AuditEntry{actor, action, object, detail}, clock.Now());
        if (!r.ok()) spdlog::error("audit: {}", r.status().ToString());
      });
  // Non-const here: an edit of the operators' skills updates it (appliers below).
  auto visibility =
      std::make_shared<http::CaseVisibility>(http::CaseVisibility::FromRouting(config.routing));

  // Staff accounts for the security administrator (issue 6); declared before
  // the router, whose handlers hold it.
  // The lockout lives in the StaffAuth that signs people in: the admin screen
  // reads and lifts it there.
  security::StaffAuth& staff_auth = *sec.auth;
  StaffAdmin staff_admin(
      *sec.staff, *sec.hasher, sec.cipher, sec.audit.get(), sec.clock,
      LockoutAccess{[&staff_auth](const std::string& l) { return staff_auth.AccountLockedUntil(l); },
                    [&staff_auth](const std::string& l) { staff_auth.UnlockAccount(l); }});

  // Live configuration editing (issue 6): an administrator's edit of an area
  // (numbers, hours, holidays, queues, skills, overflow, IVR, block list) is
  // checked like check-config, handed to the appliers below, written to the
  // file (the old one kept as .prev) and audited. Declared before the router,
  // whose handlers hold it.
  auto opened_editor = admin::ConfigEditor::Open(
      opts.config_path, cli_overrides,
      [&audit_log, &clock](const std::string& actor, const std::string& action,
                           const std::string& object, const std::string& detail) {
        Result<security::AuditRecord> r =
            audit_log.Append(security::AuditEntry{actor, action, object, detail}, clock.Now());
        if (!r.ok()) spdlog::error("audit: {}", r.status().ToString());
      });
  if (!opened_editor.ok()) {
    spdlog::error("cannot open the configuration for editing: {}", opened_editor.status().ToString());
    return 1;
  }
  admin::ConfigEditor& config_editor = **opened_editor;
  // ---- Live reconfiguration: appliers --------------------------------------
  // How the running parts take an edited config; they run in this order
  // before the file is written, and an error from one refuses the edit (the
  // earlier ones get the old config back). Telephony first: it refuses what
  // needs a restart (ports, TLS) and synthesises the new IVR's prompts.
#ifdef GOSLINE_HAVE_TELEPHONY
  config_editor.AddApplier("telephony", [&phone](const Config& next) {
    return phone ? phone->Reconfigure(next) : Status::Ok();
  });
#endif
  // Queues, skills, overflow: the router keeps every call and operator state.
  config_editor.AddApplier("contact centre", [&centre](const Config& next) {
    return contact_center::ApplyRoutingConfig(**centre, next);
  });
  // R20: which cases an operator sees follows their skills.
  config_editor.AddApplier("case visibility", [visibility](const Config& next) {
    visibility->Update(next.routing);
    return Status::Ok();
  });
  // ---------------------------------------------------------------------------

  http::Router router(std::make_shared<http::SessionAuthorizer>(*sec.auth));
  router.SetAuditHook(http::MakeAuditHook(*sec.audit, sec.clock));
  Status routes = http::AddApiRoutes(router, cases, **store, GOSLINE_VERSION, sec.auth.get(),
                                     centre->get(), &data_rights, visibility, cipher,
                                     [&config_editor](const std::string& code) {
                                       const Region* r = config_editor.Current()->FindRegion(code);
                                       return r ? r->name : std::string();
                                     });
  if (routes.ok()) routes = http::AddUserRoutes(router, staff_admin);
  if (routes.ok()) routes = http::AddAdminConfigRoutes(router, &config_editor);
  if (!routes.ok()) {
    spdlog::error("cannot set up the API: {}", routes.ToString());
    return 1;
  }
  // Live feed, public status and reports (issues 4, 6; R3, R18).
  auto live_hub = std::make_shared<http::LiveHub>();
  auto alarm_rules = stats::AlarmEvaluator::Create(http::WallboardFeed::DefaultAlarmRules());
  if (!alarm_rules.ok()) {
    spdlog::error("cannot set up the wallboard alarms: {}", alarm_rules.status().ToString());
    return 1;
  }
  auto wallboard = std::make_shared<http::WallboardFeed>(*live_hub, std::move(alarm_rules).value());
  contact_center::ContactCenter& centre_ref = **centre;
  live_hub->SetSnapshotProvider(http::kWallboardTopic, [wallboard, &centre_ref] {
    return wallboard->WithAlarms(contact_center::ToJson(centre_ref.Snapshot()));
  });
  centre_ref.Subscribe([wallboard, live_hub](const std::string& snapshot) {
    wallboard->OnCentreSnapshot(nlohmann::json::parse(snapshot, nullptr, false));
  });
  http::EstimatedWaitSource waits;
  waits.Set([&centre_ref](const std::string& topic) -> std::optional<Duration> {
    std::optional<Duration> best;  // the shortest wait among the topic's queues
    for (const auto& q : centre_ref.Snapshot().queues) {
      if (q.topic == topic && q.estimated_wait && (!best || *q.estimated_wait < *best)) {
        best = q.estimated_wait;
      }
    }
    return best;
  });
  auto report_reader = SqliteCallReportReader::Open(config.storage.path);
  if (!report_reader.ok()) {
    spdlog::error("cannot open the call records for reports: {}",
                  report_reader.status().ToString());
    return 1;
  }
  SqliteCallReportReader& reader_ref = **report_reader;
  for (Status st : {http::AddLiveRoute(router),
                    // Follows the live config: edited hours and holidays show at once.
                    http::AddPublicStatusRoutes(
                        router, [&config_editor] { return config_editor.Current(); }, clock, waits),
                    http::AddReportRoutes(router, [&reader_ref](Time from, Time to) {
                      return reader_ref.Read(from, to);
                    })}) {
    if (!st.ok()) {
      spdlog::error("cannot set up the live, status and report routes: {}", st.ToString());
      return 1;
    }
  }
  // The knowledge base of the operator desktop (issue 6): indexed now, in
  // memory; a bad article is logged and left out, a missing folder turns it off.
  std::set<std::string> topic_ids;
  for (const Topic& t : config.topics) topic_ids.insert(t.id);
  std::vector<std::string> kb_problems;
  std::shared_ptr<const knowledge::KnowledgeIndex> kb =
      knowledge::OpenKnowledgeBase(config.knowledge.dir, topic_ids, kb_problems);
  for (const std::string& problem : kb_problems) spdlog::warn("knowledge base: {}", problem);
  if (kb) spdlog::info("knowledge base: {} articles from {}", kb->articles().size(), config.knowledge.dir);
  if (Status st = http::AddKnowledgeRoutes(router, kb, topic_ids); !st.ok()) {
    spdlog::error("cannot set up the knowledge-base routes: {}", st.ToString());
    return 1;
  }
  // The web application (issue 6), from the build directory's web/dist.
  std::optional<std::filesystem::path> web_root = http::FindWebRoot();
  if (!web_root) spdlog::warn("web application not built: the pages answer 503, the API works");
  if (Status web = http::AddStaticFileRoutes(router, web_root); !web.ok()) {
    spdlog::error("cannot set up the web application: {}", web.ToString());
    return 1;
  }
  http::HttpServer server(config.http, router);
  server.SetLiveHub(live_hub);
  if (Status st = server.Start(); !st.ok()) {
    spdlog::error("cannot start HTTP on {}:{}: {}", config.http.listen, config.http.port,
                  st.ToString());
    return 1;
  }
  spdlog::info("gosline {} serving '{}' ({} numbers) - HTTP on http://{}:{} - registry {}",
               GOSLINE_VERSION, config.service.name, config.service.numbers.size(),
               config.http.listen, server.port(), config.storage.path);

  // R23: the retention job at start and then hourly, each run audited.
  RetentionTimer retention(config, std::chrono::minutes(60), [](const Result<RetentionReport>& r) {
    if (r.ok()) {
      spdlog::info("retention: {}", DescribeRetention(*r));
    } else {
      spdlog::error("retention: {}", r.status().ToString());
    }
  });

  int sig = WaitForStopSignal();
  spdlog::info("signal {} received, stopping", sig);
#ifdef GOSLINE_HAVE_TELEPHONY
  if (phone) phone->Stop();  // calls first: their records go to the registry
  sealer.reset();            // seals the last recordings and hands them to the centre
#endif
  server.Stop();
  (*centre)->Stop();
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
  cmd->callback([opts] {
    int rc = Serve(*opts);
    if (rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
