#include "cli/served_line.h"

#include <atomic>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <set>
#include <vector>

#include "app/admin/config_editor.h"
#include "app/cluster/cluster_call_port.h"
#include "app/cluster/cluster_decision_writer.h"
#include "app/cluster/cluster_node.h"
#include "app/admin/shared_config_follower.h"
#include "app/case_service.h"
#include "app/contact_centre/contact_centre.h"
#include "app/contact_centre/routing_applier.h"
#include "app/data_rights_service.h"
#include "app/staff_admin.h"
#include "cli/citizen_channel.h"
#include "cli/keys_command.h"
#include "cli/postgres_registry.h"
#include "cli/retention_command.h"
#include "cli/security_context.h"
#include "config/config_loader.h"
#include "config/config_vocabulary.h"
#include "config/routing_config_loader.h"
#include "config/telephony_config_loader.h"
#include "core/cases/case_workflow.h"
#include "core/common/system_clock.h"
#include "http/admin_config_routes.h"
#include "http/api_routes.h"
#include "cli/file_limit.h"
#include "http/audit_hook.h"
#include "app/case_visibility.h"
#include "http/centre_snapshot_json.h"
#include "http/http_server.h"
#include "http/knowledge_routes.h"
#include "http/live_hub.h"
#include "http/live_hub_wallboard.h"
#include "http/public_status_routes.h"
#include "http/report_routes.h"
#include "http/interval_report_routes.h"
#include "http/router.h"
#include "http/centre_metrics.h"
#include "http/corrective_feed.h"
#include "http/line_metrics.h"
#include "http/metrics_routes.h"
#include "http/planning_routes.h"
#include "http/availability_routes.h"
#include "http/process_metrics.h"
#include "http/request_metrics.h"
#include "http/session_authorizer.h"
#include "http/static_files.h"
#include "http/user_routes.h"
#include "knowledge/knowledge_base.h"
#include "security/key_ring.h"
#include "storage/postgres/postgres_call_outcome_store.h"
#include "storage/postgres/postgres_call_record_store.h"
#include "storage/postgres/postgres_call_report_reader.h"
#include "storage/postgres/postgres_case_store.h"
#include "storage/postgres/postgres_cluster_store.h"
#include "storage/postgres/postgres_leader_lease.h"
#include "storage/postgres/postgres_config_version_store.h"
#include "storage/postgres/postgres_consent_store.h"
#include "storage/postgres/postgres_retention_store.h"
#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_call_report_reader.h"
#include "cli/reports_command.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_probe_store.h"
#include "storage/sqlite/sqlite_recording_store.h"
#ifdef GOSLINE_HAVE_TELEPHONY
#include "telephony/hotline_telephony.h"
#include "telephony/line_prober.h"
#endif

namespace gosline::cli {

// Declared in start order, so that destruction (should a step fail) undoes
// them in reverse.
struct ServedLine::Parts {
  Config config;
  SystemClock clock;
  std::atomic<bool> draining{false};  // set by BeginDrain, read by /readyz on HTTP threads
  std::shared_ptr<const RowCipher> cipher;  // null: no data key
  std::shared_ptr<const security::KeyRing> recording_keys;  // null: no data key

  // OpenStores: the engine of storage.driver (SQLite, or PostgreSQL shared by
  // several nodes, whose stores share `postgres`'s connection pool).
  std::shared_ptr<PostgresDatabase> postgres;
  std::unique_ptr<CaseStore> cases_store;
  std::unique_ptr<CallOutcomeStore> outcomes;
  std::unique_ptr<ConsentStore> consents;
  std::unique_ptr<CitizenErasureStore> erasure;
  std::unique_ptr<CallRecordStore> call_records;
  std::unique_ptr<CallReportReader> reports;
  // The reports' 15-minute rollups (R18): beside the call records, SQLite only.
  std::unique_ptr<ReportRollupStore> rollups;
  // Line probes (R4) stay in this node's SQLite file whatever the driver:
  // each node reports its own view of the line.
  std::unique_ptr<ProbeStore> probes;
  // Every leg's recording (R23, R24): also in the node's SQLite file, beside
  // the recording files it names.
  std::unique_ptr<RecordingStore> recordings;
  std::unique_ptr<ConfigVocabulary> vocabulary;
  std::unique_ptr<BusinessCalendar> escalation_calendar;
  std::unique_ptr<CaseWorkflow> workflow;
  std::unique_ptr<CaseService> cases;
  // The citizens' API and the webhooks (R26, R27); reports case changes
  // and call outcomes to the webhooks' outbox.
  std::unique_ptr<CitizenChannel> citizen_channel;

  // StartContactCentre
  std::unique_ptr<contact_centre::ContactCentre> centre;
  // With cluster.shared_queue (R4, R11): the line's one queue order. The
  // centre decides only while this node leads; telephony reports to the
  // port and gets the leader's decisions through the node.
  std::unique_ptr<ClusterStore> cluster_store;
  std::unique_ptr<LeaderLease> leader_lease;
  std::unique_ptr<cluster::ClusterDecisionWriter> cluster_writer;
  std::unique_ptr<cluster::ClusterCallPort> cluster_port;
  std::unique_ptr<cluster::ClusterNode> cluster_node;

  // StartTelephony
#ifdef GOSLINE_HAVE_TELEPHONY
  std::unique_ptr<telephony::HotlineTelephony> phone;
#endif

  // OpenSecurity
  std::unique_ptr<SecurityStack> security;

  // OpenAdministration
  std::unique_ptr<DataRightsService> data_rights;
  std::shared_ptr<CaseVisibility> visibility;
  std::unique_ptr<StaffAdmin> staff_admin;
  std::unique_ptr<admin::ConfigEditor> config_editor;
  // storage.driver postgres: the line's configuration versions, and the
  // thread that takes other nodes' edits (FollowLineConfiguration).
  std::unique_ptr<ConfigVersionStore> config_versions;
  std::unique_ptr<admin::SharedConfigFollower> config_follower;

  // BuildRoutes
  std::unique_ptr<http::Router> router;
  std::shared_ptr<http::RequestMetrics> request_metrics;  // filled by the router's observer
  std::shared_ptr<http::LiveHub> live_hub;
  std::shared_ptr<http::WallboardFeed> wallboard;
  http::EstimatedWaitSource waits;
  std::shared_ptr<const knowledge::KnowledgeIndex> knowledge;

  // StartHttp
  std::unique_ptr<http::HttpServer> server;

  // StartRetention
  std::unique_ptr<RetentionTimer> retention;

  // StartProbing
#ifdef GOSLINE_HAVE_TELEPHONY
  std::unique_ptr<telephony::LineProber> prober;
#endif
};

namespace {

// The line's local time for monthly reports: the federal centre's offset.
std::chrono::minutes FederalUtcOffset(const Config& config) {
  for (const Centre& c : config.centres) {
    if (c.id == config.routing.settings.federal_centre) return c.utc_offset;
  }
  return std::chrono::minutes(180);
}

// An audit sink for services that record what staff and the system did (R21).
auto AuditTo(security::AuditLog& log, const Clock& clock) {
  return [&log, &clock](const std::string& actor, const std::string& action,
                        const std::string& object, const std::string& detail) {
    Result<security::AuditRecord> r =
        log.Append(security::AuditEntry{actor, action, object, detail}, clock.Now());
    if (!r.ok()) spdlog::error("audit: {}", r.status().ToString());
  };
}

// Logs what a step could not do, and passes the Status on.
Status Logged(const std::string& what, Status status) {
  if (!status.ok()) spdlog::error("{}: {}", what, status.ToString());
  return status;
}

}  // namespace

ServedLine::ServedLine(const ServeOptions& options)
    : options_(options), parts_(std::make_unique<Parts>()) {}

ServedLine::~ServedLine() { Stop(); }

Result<std::unique_ptr<ServedLine>> ServedLine::Start(const ServeOptions& options) {
  std::unique_ptr<ServedLine> line(new ServedLine(options));
  // Before any socket or file is opened: every connection, RTP port and
  // database file is a descriptor (cli/file_limit.h).
  if (Result<FileLimit> limit = RaiseFileLimit(); limit.ok()) {
    spdlog::info("open-file limit: {} (was {}, hard limit {})", limit->now, limit->before,
                 limit->hard);
  } else {
    spdlog::warn("{}", limit.status().message());
  }
  GOSLINE_RETURN_IF_ERROR(line->LoadConfiguration());
  GOSLINE_RETURN_IF_ERROR(line->OpenStores());
  GOSLINE_RETURN_IF_ERROR(line->StartContactCentre());
  GOSLINE_RETURN_IF_ERROR(line->StartTelephony());
  GOSLINE_RETURN_IF_ERROR(line->OpenSecurity());
  GOSLINE_RETURN_IF_ERROR(line->OpenAdministration());
  line->InstallConfigAppliers();
  line->FollowLineConfiguration();
  GOSLINE_RETURN_IF_ERROR(line->BuildRoutes());
  GOSLINE_RETURN_IF_ERROR(line->StartHttp());
  line->StartRetention();
  GOSLINE_RETURN_IF_ERROR(line->StartProbing());
  return line;
}

Status ServedLine::LoadConfiguration() {
  ConfigLoadResult loaded = LoadConfigFile(options_.config_path);
  if (!loaded.ok()) {
    for (const ConfigError& e : loaded.errors) std::cerr << e.ToString() << "\n";
    std::cerr << options_.config_path << ": " << loaded.errors.size()
              << " error(s); refusing to start\n";
    return Status::InvalidArgument(options_.config_path + ": configuration rejected");
  }
  parts_->config = std::move(loaded.config);
  ApplyServeOverrides(options_, parts_->config);
  return Status::Ok();
}

Status ServedLine::OpenStores() {
  Parts& p = *parts_;
  const Config& config = p.config;
  // R22: personal data is sealed under the data key, kept outside the
  // database. A key that is set but wrong or unreadable stops the start
  // before anything is written.
  if (config.security.create_key_if_missing && !config.security.key_file.empty()) {
    Result<bool> created = CreateKeyFileIfMissing(config.security.key_file);
    if (!created.ok()) return Logged("data key " + config.security.key_file, created.status());
  }
  Result<std::shared_ptr<const RowCipher>> data_cipher = DataCipherFor(config);
  if (!data_cipher.ok()) return Logged("data key " + config.security.key_file, data_cipher.status());
  p.cipher = std::move(data_cipher).value();
  if (!p.cipher) spdlog::warn("no data key configured: personal data is stored in clear");
  // R22: recordings are sealed under the same key while they are made.
  Result<std::shared_ptr<const security::KeyRing>> recording_keys = RecordingKeysFor(config);
  if (!recording_keys.ok()) {
    return Logged("data key " + config.security.key_file, recording_keys.status());
  }
  p.recording_keys = std::move(recording_keys).value();

  if (config.storage.driver == "postgres") {
    GOSLINE_RETURN_IF_ERROR(OpenPostgresStores());
  } else {
    GOSLINE_RETURN_IF_ERROR(OpenSqliteStores());
  }
  auto probes = SqliteProbeStore::Open(config.storage.path);
  if (!probes.ok()) return Logged("cannot open the line probes in " + config.storage.path, probes.status());
  p.probes = std::move(probes).value();
  // R23/R24: every leg's recording, so retention and erasure find each one.
  auto recordings = SqliteRecordingStore::Open(config.storage.path);
  if (!recordings.ok()) {
    return Logged("cannot open the recordings table in " + config.storage.path, recordings.status());
  }
  p.recordings = std::move(recordings).value();

  p.vocabulary = std::make_unique<ConfigVocabulary>(config);
  p.escalation_calendar = std::make_unique<BusinessCalendar>(config.EscalationCalendar());
  p.workflow = std::make_unique<CaseWorkflow>(*p.vocabulary, *p.escalation_calendar,
                                              config.escalation.business_days);
  p.cases = std::make_unique<CaseService>(*p.cases_store, *p.workflow, p.clock);
  auto channel = CitizenChannel::Open(config, p.postgres, *p.cases, p.clock);
  if (!channel.ok()) return Logged("cannot open the citizens' channel", channel.status());
  p.citizen_channel = std::move(channel).value();
  p.outcomes = p.citizen_channel->WrapOutcomes(std::move(p.outcomes));
  p.citizen_channel->Start();
  return Status::Ok();
}

// The embedded engine: every store on the SQLite file at storage.path.
Status ServedLine::OpenSqliteStores() {
  Parts& p = *parts_;
  const Config& config = p.config;
  SqliteOptions store_opts;
  if (auto sync = ParseSqliteSync(config.storage.synchronous)) store_opts.synchronous = *sync;
  store_opts.cipher = p.cipher;
  std::filesystem::path db_path(config.storage.path);
  if (db_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(db_path.parent_path(), ec);
  }
  const std::string where = "cannot open the registry " + config.storage.path;
  auto store = SqliteCaseStore::Open(config.storage.path, store_opts);
  if (!store.ok()) return Logged(where, store.status());
  p.cases_store = std::move(store).value();
  auto outcomes = SqliteCallOutcomeStore::Open(config.storage.path, p.cipher);
  if (!outcomes.ok()) return Logged(where, outcomes.status());
  p.outcomes = std::move(outcomes).value();
  // R24: consents and citizens' requests (export, correction, deletion).
  auto consents = SqliteConsentStore::Open(config.storage.path, p.cipher);
  if (!consents.ok()) return Logged(where, consents.status());
  p.consents = std::move(consents).value();
  auto erasure = SqliteRetentionStore::Open(config.storage.path, p.cipher);
  if (!erasure.ok()) return Logged(where, erasure.status());
  p.erasure = std::move(erasure).value();
  SqliteCallRecordStore::Options record_opts;
  record_opts.cipher = p.cipher;
  auto call_records = SqliteCallRecordStore::Open(config.storage.path, record_opts);
  if (!call_records.ok()) return Logged(where, call_records.status());
  p.call_records = std::move(call_records).value();
  auto reports = SqliteCallReportReader::Open(config.storage.path);
  if (!reports.ok()) return Logged(where, reports.status());
  p.reports = std::move(reports).value();
  auto rollups = SqliteReportRollupStore::Open(config.storage.path, ReportRollupOptionsFor(config));
  if (!rollups.ok()) return Logged(where, rollups.status());
  p.rollups = std::move(rollups).value();
  return Status::Ok();
}

// Several nodes on one PostgreSQL database (R4, R11): every store on one
// connection pool; the schema is migrated and the data key checked once.
Status ServedLine::OpenPostgresStores() {
  Parts& p = *parts_;
  const std::string where = "cannot open the registry " + RegistryLocation(p.config.storage);
  Result<std::shared_ptr<PostgresDatabase>> db = OpenPostgresRegistry(p.config.storage, p.cipher);
  if (!db.ok()) return Logged(where, db.status());
  p.postgres = std::move(db).value();
  p.cases_store = std::make_unique<PostgresCaseStore>(p.postgres);
  p.outcomes = std::make_unique<PostgresCallOutcomeStore>(p.postgres);
  p.consents = std::make_unique<PostgresConsentStore>(p.postgres);
  p.erasure = std::make_unique<PostgresRetentionStore>(p.postgres);
  p.call_records = std::make_unique<PostgresCallRecordStore>(p.postgres);
  p.reports = std::make_unique<PostgresCallReportReader>(p.postgres);
  return Status::Ok();
}

// Operators, queues and the case of each call (R8-R14). It runs with or
// without telephony: the API still shows operators and queues.
Status ServedLine::StartContactCentre() {
  Parts& p = *parts_;
  contact_centre::CentreOptions centre_opts;
  centre_opts.announce_every = p.config.centre.announce_every;
  centre_opts.corrective = p.config.corrective_actions;  // R13
  for (const auto& [id, phone] : p.config.centre.phones) {
    if (!phone.contact.empty()) centre_opts.contacts[id] = phone.contact;
  }
  auto centre = contact_centre::ContactCentre::Create(RoutingTopologyOf(p.config), p.config.routing,
                                                      centre_opts, *p.cases, p.outcomes.get(),
                                                      p.clock, p.recordings.get());
  if (!centre.ok()) return Logged("cannot start the contact centre", centre.status());
  p.centre = std::move(centre).value();
  if (p.config.cluster.shared_queue) GOSLINE_RETURN_IF_ERROR(StartSharedQueue());
  p.centre->Start();
  spdlog::info("contact centre: {} operators, {} queues", p.config.routing.operators.size(),
               p.config.queues.size());
  return Status::Ok();
}

// One queue order for the nodes of the line (R4, R11; docs/cluster.md): the
// configuration checker made sure the registry is PostgreSQL.
Status ServedLine::StartSharedQueue() {
  Parts& p = *parts_;
  const ClusterSettings& c = p.config.cluster;
  if (!p.postgres) {
    return Logged("cannot share the queue",
                  Status::FailedPrecondition("cluster.shared_queue needs storage.driver postgres"));
  }
  p.cluster_store = std::make_unique<PostgresClusterStore>(p.postgres, c.node_name);
  p.leader_lease = std::make_unique<PostgresLeaderLease>(p.postgres, c.node_name);
  p.cluster_writer = std::make_unique<cluster::ClusterDecisionWriter>(*p.cluster_store);
  p.centre->SetConnector(p.cluster_writer.get());
  // An operator's state set on any node reaches the leader.
  p.centre->ForwardOperatorStates([&p, node = c.node_name](const std::string& op,
                                                           const std::string& state,
                                                           const std::string& reason) {
    return p.cluster_store->SetOperatorState({op, state, reason, p.clock.Now()}, node);
  });
  p.cluster_port = std::make_unique<cluster::ClusterCallPort>(*p.cluster_store, c.node_name, *p.cases);
  p.cluster_port->Start();
  cluster::ClusterNodeOptions o;
  o.node_id = c.node_name;
  o.leader_poll = std::chrono::milliseconds(c.leader_poll_ms);
  o.heartbeat = std::chrono::milliseconds(c.heartbeat_ms);
  o.node_timeout = std::chrono::milliseconds(c.node_timeout_ms);
  p.cluster_node = std::make_unique<cluster::ClusterNode>(o, *p.cluster_store, *p.leader_lease,
                                                          *p.centre, *p.cluster_writer, p.clock);
  p.cluster_node->Start();
  spdlog::info("shared queue: node {} of the line's one queue order (a standby takes over within "
               "{} ms of the leader's loss)",
               c.node_name, c.leader_poll_ms);
  return Status::Ok();
}

// Telephony's own call record store (its writer thread is closed with it).
Result<std::unique_ptr<CallRecordStore>> ServedLine::OpenPhoneCallRecords() {
  Parts& p = *parts_;
  if (p.postgres) {
    return std::unique_ptr<CallRecordStore>(std::make_unique<PostgresCallRecordStore>(p.postgres));
  }
  SqliteCallRecordStore::Options record_opts;
  if (auto sync = ParseSqliteSync(p.config.storage.synchronous)) record_opts.synchronous = *sync;
  record_opts.cipher = p.cipher;
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCallRecordStore> records,
                           SqliteCallRecordStore::Open(p.config.storage.path, record_opts));
  return std::unique_ptr<CallRecordStore>(std::move(records));
}

// Before HTTP, so that a ready API means a ready line; prompts are
// synthesised here on the first start (cached afterwards).
Status ServedLine::StartTelephony() {
#ifdef GOSLINE_HAVE_TELEPHONY
  Parts& p = *parts_;
  if (options_.no_telephony) return Status::Ok();
  telephony::TelephonyOverrides overrides;
  if (options_.sip_port >= 0) overrides.sip_port = static_cast<uint16_t>(options_.sip_port);
  if (!options_.rtp_ports.empty()) overrides.rtp_ports = ParsePortRange(options_.rtp_ports);
  if (options_.max_calls > 0) overrides.max_calls = options_.max_calls;
  // R22: the callers' numbers in the call records are sealed with the data key.
  Result<std::unique_ptr<CallRecordStore>> phone_records = OpenPhoneCallRecords();
  if (!phone_records.ok()) {
    return Logged("cannot open the call records " + RegistryLocation(p.config.storage),
                  phone_records.status());
  }
  // R22/R30: with a data key, recordings are sealed while they are made.
  auto started = telephony::HotlineTelephony::Start(p.config, overrides, *p.cases, p.clock,
                                                    std::move(phone_records).value(),
                                                    p.recording_keys);
  if (!started.ok()) return Logged("cannot start telephony", started.status());
  p.phone = std::move(started).value();
  if (p.cluster_node) {
    p.phone->AttachCallCentre(p.cluster_port.get());
    p.cluster_node->SetTelephony(&p.phone->call_connector());
  } else {
    p.phone->AttachCallCentre(p.centre.get());
    p.centre->SetConnector(&p.phone->call_connector());
  }
#else
  if (!options_.no_telephony) spdlog::warn("built without the telephony layer: HTTP only");
#endif
  return Status::Ok();
}

// R19-R21: staff sign-in, API keys, a role per route, the audit log.
Status ServedLine::OpenSecurity() {
  Parts& p = *parts_;
  Result<std::unique_ptr<SecurityStack>> security = cli::OpenSecurity(p.config, p.postgres);
  if (!security.ok()) return Logged("cannot start security", security.status());
  p.security = std::move(security).value();
  SecurityStack& sec = *p.security;
  spdlog::info("security: {}; audit log {}", sec.key_note, sec.audit_path);
  Result<std::string> bootstrap = BootstrapApiKey(sec, p.config);
  if (!bootstrap.ok()) return Logged("cannot create the bootstrap API key", bootstrap.status());
  if (!bootstrap->empty()) {
    spdlog::warn("demo: created an API key (cases:read cases:write) in {} (0600); send it as "
                 "Authorization: Bearer $(cat {})", *bootstrap, *bootstrap);
  }
  return Status::Ok();
}

// Citizens' data rights (R24), who sees which case (R20), staff accounts and
// the live configuration editor: the services the routes hold.
Status ServedLine::OpenAdministration() {
  Parts& p = *parts_;
  SecurityStack& sec = *p.security;
  p.data_rights = std::make_unique<DataRightsService>(
      *p.cases_store, *p.consents, *p.erasure, p.call_records.get(), p.config.EscalationCalendar(),
      p.clock, AuditTo(*sec.audit, p.clock),
      RecordingRemoval{p.recordings.get(), RecordingFileRemover(p.config.telephony.recordings_dir)});
  // Non-const: an edit of the operators' skills updates it (InstallConfigAppliers).
  p.visibility =
      std::make_shared<CaseVisibility>(CaseVisibility::FromRouting(p.config.routing));
  // The lockout lives in the StaffAuth that signs people in: the admin screen
  // reads and lifts it there.
  security::StaffAuth& staff_auth = *sec.auth;
  p.staff_admin = std::make_unique<StaffAdmin>(
      *sec.staff, *sec.hasher, sec.cipher, sec.audit.get(), sec.clock,
      LockoutAccess{[&staff_auth](const std::string& l) { return staff_auth.AccountLockedUntil(l); },
                    [&staff_auth](const std::string& l) { staff_auth.UnlockAccount(l); }});
  // An administrator's edit of an area (numbers, hours, holidays, queues,
  // skills, overflow, IVR, block list) is checked like check-config, handed
  // to the appliers, written to the file (the old one kept as .prev) and
  // audited.
  const ServeOptions overrides = options_;
  auto editor = admin::ConfigEditor::Open(
      options_.config_path, [overrides](Config& c) { ApplyServeOverrides(overrides, c); },
      AuditTo(*sec.audit, p.clock));
  if (!editor.ok()) return Logged("cannot open the configuration for editing", editor.status());
  p.config_editor = std::move(editor).value();
  if (p.postgres) {
    // Several nodes, one line (R4): an edit is stored as the line's next
    // version before this node's file is written; the others take it.
    p.config_versions = std::make_unique<PostgresConfigVersionStore>(p.postgres);
    p.config_editor->SetPublisher([&p](int64_t version, const std::string& document,
                                       const std::string& actor) {
      return p.config_versions->Append(ConfigVersion{version, actor, p.clock.Now(), document});
    });
  }
  return Status::Ok();
}

// How the running parts take an edited config; they run in this order before
// the file is written, and an error from one refuses the edit (the earlier
// ones get the old config back). Telephony first: it refuses what needs a
// restart (ports, TLS) and synthesises the new IVR's prompts.
void ServedLine::InstallConfigAppliers() {
  Parts& p = *parts_;
#ifdef GOSLINE_HAVE_TELEPHONY
  p.config_editor->AddApplier("telephony", [&p](const Config& next) {
    return p.phone ? p.phone->Reconfigure(next) : Status::Ok();
  });
#endif
  // Queues, skills, overflow: the router keeps every call and operator state.
  p.config_editor->AddApplier("contact centre", [&p](const Config& next) {
    return contact_centre::ApplyRoutingConfig(*p.centre, next);
  });
  // R20: which cases an operator sees follows their skills.
  p.config_editor->AddApplier("case visibility", [visibility = p.visibility](const Config& next) {
    visibility->Update(next.routing);
    return Status::Ok();
  });
}

void ServedLine::FollowLineConfiguration() {
  Parts& p = *parts_;
  if (!p.config_versions) return;  // SQLite: one node, its file is the whole truth
  p.config_follower = std::make_unique<admin::SharedConfigFollower>(
      *p.config_editor, *p.config_versions, std::chrono::seconds(1));
  // Before HTTP answers: a node that starts with an older file serves the
  // line's configuration from its first request.
  p.config_follower->PollOnce(/*at_start=*/true);
  p.config_follower->Start();
}

Status ServedLine::BuildRoutes() {
  Parts& p = *parts_;
  SecurityStack& sec = *p.security;
  p.router = std::make_unique<http::Router>(std::make_shared<http::SessionAuthorizer>(*sec.auth));
  http::Router& router = *p.router;
  router.SetAuditHook(http::MakeAuditHook(*sec.audit, sec.clock));
  admin::ConfigEditor& editor = *p.config_editor;
  GOSLINE_RETURN_IF_ERROR(Logged(
      "cannot set up the API",
      http::AddApiRoutes(router, *p.cases, *p.cases_store, GOSLINE_VERSION, sec.auth.get(),
                         p.centre.get(), p.data_rights.get(), p.visibility,
                         http::RecordingPlayback{p.config.telephony.recordings_dir, p.cipher,
                                                 p.recording_keys},
                         [&editor](const std::string& code) {
                           const Region* r = editor.Current()->FindRegion(code);
                           return r ? r->name : std::string();
                         },
                         [&p] { return p.draining.load(); })));
  GOSLINE_RETURN_IF_ERROR(Logged(
      "cannot set up the citizens' and webhook routes",
      p.citizen_channel->AddRoutes(router, p.data_rights.get(), [&editor] { return editor.Current(); },
                                   p.waits, *sec.audit)));
  GOSLINE_RETURN_IF_ERROR(
      Logged("cannot set up the user routes", http::AddUserRoutes(router, *p.staff_admin)));
  GOSLINE_RETURN_IF_ERROR(
      Logged("cannot set up the configuration routes", http::AddAdminConfigRoutes(router, &editor)));

  // The live feed of the wallboard and the operator desktop (R18).
  p.live_hub = std::make_shared<http::LiveHub>();
  auto alarm_rules = stats::AlarmEvaluator::Create(http::WallboardFeed::DefaultAlarmRules());
  if (!alarm_rules.ok()) return Logged("cannot set up the wallboard alarms", alarm_rules.status());
  p.wallboard = std::make_shared<http::WallboardFeed>(*p.live_hub, std::move(alarm_rules).value());
  contact_centre::ContactCentre& centre = *p.centre;
  p.live_hub->SetSnapshotProvider(http::kWallboardTopic, [wallboard = p.wallboard, &centre] {
    return wallboard->WithAlarms(http::ToJson(centre.Snapshot()));
  });
  centre.Subscribe([wallboard = p.wallboard](const contact_centre::CentreSnapshot& snapshot) {
    wallboard->OnCentreSnapshot(http::ToJson(snapshot));
  });
  // R13: each corrective action started or ended, audited and on the wallboard.
  centre.OnCorrectiveAction(http::CorrectiveFeed(*p.live_hub, AuditTo(*sec.audit, p.clock)));
  // R3: the shortest estimated wait among a topic's queues.
  p.waits.Set([&centre](const std::string& topic) -> std::optional<Duration> {
    std::optional<Duration> best;
    for (const auto& q : centre.Snapshot().queues) {
      if (q.topic == topic && q.estimated_wait && (!best || *q.estimated_wait < *best)) {
        best = q.estimated_wait;
      }
    }
    return best;
  });
  CallReportReader& reports = *p.reports;
  for (const Status& st :
       {http::AddLiveRoute(router, p.config.http.allowed_origins),
        // Follows the live config: edited hours and holidays show at once.
        http::AddPublicStatusRoutes(
            router, [&editor] { return editor.Current(); }, p.clock, p.waits),
        http::AddReportRoutes(router,
                              [&reports](Time from, Time to) { return reports.Read(from, to); })}) {
    GOSLINE_RETURN_IF_ERROR(Logged("cannot set up the live, status and report routes", st));
  }
  if (p.rollups) {
    GOSLINE_RETURN_IF_ERROR(Logged(
        "cannot set up the interval reports route",
        http::AddIntervalReportRoutes(
            router, {.store = p.rollups.get(), .utc_offset = ReportUtcOffset(p.config)})));
  }
  GOSLINE_RETURN_IF_ERROR(
      Logged("cannot set up the metrics route", http::AddMetricsRoute(router, MetricsWriters())));
  // R4: the month's availability from this node's probes of the line.
  const bool probing = !p.config.cluster.probe_target.empty();
  GOSLINE_RETURN_IF_ERROR(Logged(
      "cannot set up the availability route",
      http::AddAvailabilityRoutes(
          router, {.probes = probing ? p.probes.get() : nullptr,
                   .clock = &p.clock,
                   .probe_interval = std::chrono::seconds(p.config.cluster.probe_interval_seconds),
                   .utc_offset = FederalUtcOffset(p.config)})));
  GOSLINE_RETURN_IF_ERROR(
      Logged("cannot set up the planning routes",
             http::AddPlanningRoutes(
                 router, {.history = [&reports](Time from, Time to) { return reports.Read(from, to); },
                          .config = [&editor] { return editor.Current(); },
                          .clock = &p.clock})));

  // The operators' knowledge base: indexed now, in memory; a bad article is
  // logged and left out, a missing folder turns it off.
  std::set<std::string> topic_ids;
  for (const Topic& t : p.config.topics) topic_ids.insert(t.id);
  std::vector<std::string> problems;
  p.knowledge = knowledge::OpenKnowledgeBase(p.config.knowledge.dir, topic_ids, problems);
  for (const std::string& problem : problems) spdlog::warn("knowledge base: {}", problem);
  if (p.knowledge) {
    spdlog::info("knowledge base: {} articles from {}", p.knowledge->articles().size(),
                 p.config.knowledge.dir);
  }
  GOSLINE_RETURN_IF_ERROR(Logged("cannot set up the knowledge-base routes",
                                 http::AddKnowledgeRoutes(router, p.knowledge, topic_ids)));

  // The web application, from the build directory's web/dist.
  std::optional<std::filesystem::path> web_root = http::FindWebRoot();
  if (!web_root) spdlog::warn("web application not built: the pages answer 503, the API works");
  return Logged("cannot set up the web application", http::AddStaticFileRoutes(router, web_root));
}

// R4: the node probes the line (the SIP front's address) as a citizen would
// reach it; every result is kept for the availability report.
Status ServedLine::StartProbing() {
  Parts& p = *parts_;
  const ClusterSettings& c = p.config.cluster;
  if (c.probe_target.empty()) return Status::Ok();
#ifdef GOSLINE_HAVE_TELEPHONY
  auto target = telephony::ParseProbeTarget(c.probe_target);
  if (!target.ok()) return Logged("cannot probe the line", target.status());
  telephony::ProbeOptions o;
  o.target = *target;
  o.node = c.node_name.empty() ? "node" : c.node_name;
  o.interval = std::chrono::seconds(c.probe_interval_seconds);
  p.prober = std::make_unique<telephony::LineProber>(
      o, p.clock, [store = p.probes.get()](const stats::ProbeResult& r) {
        if (!r.ok) spdlog::warn("line probe: {} did not get through: {}", r.node, r.detail);
        if (Status st = store->Append(r); !st.ok()) {
          spdlog::error("line probe: result not stored: {}", st.ToString());
        }
      });
  p.prober->Start();
  spdlog::info("probing the line at {} every {} s", c.probe_target, c.probe_interval_seconds);
  return Status::Ok();
#else
  return Logged("cannot probe the line",
                Status::FailedPrecondition("this build has no telephony to probe with"));
#endif
}

// Monitoring (R4, R18): every request timed by route, and the families of
// GET /metrics, each read when Prometheus scrapes.
std::vector<http::MetricsWriter> ServedLine::MetricsWriters() {
  Parts& p = *parts_;
  p.request_metrics = std::make_shared<http::RequestMetrics>();
  p.router->SetRequestObserver([m = p.request_metrics](const http::HttpRequest& request,
                                                       std::string_view pattern, int status,
                                                       double seconds) {
    m->Observe(http::ToString(request.method), pattern, status, seconds);
  });
  std::vector<http::MetricsWriter> writers;
  writers.push_back([&centre = *p.centre](http::PrometheusText& out) {
    http::WriteCentreMetrics(centre.Snapshot(), out);
  });
  writers.push_back([&p](http::PrometheusText& out) {
    http::LineFigures f;
#ifdef GOSLINE_HAVE_TELEPHONY
    if (p.phone) {
      f.calls_in_media = p.phone->active_calls();
      f.media_busy_share = p.phone->media_busy_share();
      const CallRecordStore::Stats records = p.phone->call_record_stats();
      f.call_records_written = records.written;
      f.call_records_failed = records.failed;
      f.call_record_batches = records.batches;
    }
#endif
    const security::AuditLog::GroupStats audit = p.security->audit->group_stats();
    f.audit_appends = audit.appends;
    f.audit_groups = audit.groups;
    http::WriteLineMetrics(f, out);
  });
  writers.push_back([m = p.request_metrics](http::PrometheusText& out) { m->WriteTo(out); });
  if (p.config_follower) {
    writers.push_back([&follower = *p.config_follower](http::PrometheusText& out) {
      out.Family("gosline_line_config_versions_total", http::PrometheusText::Type::kCounter,
                 "Versions of the line's configuration from other nodes: taken, or refused here");
      out.Sample("gosline_line_config_versions_total", {{"outcome", "taken"}},
                 static_cast<double>(follower.taken()));
      out.Sample("gosline_line_config_versions_total", {{"outcome", "refused"}},
                 static_cast<double>(follower.refused()));
    });
  }
  writers.push_back(&http::WriteProcessMetrics);
  return writers;
}

Status ServedLine::StartHttp() {
  Parts& p = *parts_;
  p.server = std::make_unique<http::HttpServer>(p.config.http, *p.router);
  p.server->SetLiveHub(p.live_hub);
  if (Status st = p.server->Start(); !st.ok()) {
    return Logged("cannot start HTTP on " + p.config.http.listen + ":" +
                      std::to_string(p.config.http.port),
                  st);
  }
  spdlog::info("gosline {} serving '{}' ({} numbers) - HTTP on http://{}:{} - registry {}",
               GOSLINE_VERSION, p.config.service.name, p.config.service.numbers.size(),
               p.config.http.listen, p.server->port(), RegistryLocation(p.config.storage));
  return Status::Ok();
}

// R23: the retention job at start and then hourly, each run audited.
void ServedLine::StartRetention() {
  parts_->retention = std::make_unique<RetentionTimer>(
      parts_->config, std::chrono::minutes(60), [](const Result<RetentionReport>& r) {
        if (r.ok()) {
          spdlog::info("retention: {}", DescribeRetention(*r));
        } else {
          spdlog::error("retention: {}", r.status().ToString());
        }
      });
}

void ServedLine::BeginDrain() {
  parts_->draining.store(true);  // /readyz answers 503 from now on
  // A standby takes the routing over now; this node's calls still get its decisions.
  if (parts_->cluster_node) parts_->cluster_node->Resign();
#ifdef GOSLINE_HAVE_TELEPHONY
  if (parts_->phone) parts_->phone->BeginDrain("node draining");
#endif
}

size_t ServedLine::CallsInProgress() const {
#ifdef GOSLINE_HAVE_TELEPHONY
  if (parts_->phone) return parts_->phone->active_calls();
#endif
  return 0;
}

bool ServedLine::LoopsAnswered() {
#ifdef GOSLINE_HAVE_TELEPHONY
  if (parts_->phone) return parts_->phone->LoopsAnswered();
#endif
  return true;
}

const Config& ServedLine::config() const { return parts_->config; }

void ServedLine::Stop() {
  if (stopped_) return;
  stopped_ = true;
  Parts& p = *parts_;
  // No other node's edit is applied while the parts stop (the object stays:
  // the metrics route reads its counters until HTTP stops).
  if (p.config_follower) p.config_follower->Stop();
#ifdef GOSLINE_HAVE_TELEPHONY
  p.prober.reset();
#endif
  p.retention.reset();
  // The shared queue's node feeds the centre and telephony: it goes first
  // (and a standby takes the routing over).
  if (p.cluster_node) p.cluster_node->Stop();
  // The centre first: it posts rings and hang-ups to telephony, never after this.
  if (p.centre) p.centre->Stop();
#ifdef GOSLINE_HAVE_TELEPHONY
  if (p.phone) p.phone->Stop();  // calls end: their records go to the registry
#endif
  // What telephony reported as it stopped reaches the leader.
  if (p.cluster_port) p.cluster_port->Stop();
  if (p.server) p.server->Stop();
  // Again: what telephony reported while it stopped gets its outcome.
  if (p.centre) p.centre->Stop();
  // Last: deliveries still due stay in the outbox for the next start.
  if (p.citizen_channel) p.citizen_channel->Stop();
}

}  // namespace gosline::cli
