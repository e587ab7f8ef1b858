#include "cli/retention_command.h"

#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/common/system_clock.h"
#include "cli/exit_code.h"
#include "cli/keys_command.h"
#include "cli/postgres_registry.h"
#include "cli/security_context.h"
#include "security/audit_log.h"
#include "security/recording_location.h"
#include "storage/postgres/postgres_retention_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_recording_store.h"

namespace gosline::cli {
namespace fs = std::filesystem;

namespace {

// The registry's retention store, of the configured engine.
Result<std::unique_ptr<RetentionStore>> OpenRetentionStore(const Config& config) {
  // Retention reads no personal data, but an encrypted database opens only
  // with its key; a clear one without (a key file not made yet is no error).
  Result<std::shared_ptr<const RowCipher>> cipher = DataCipherFor(config);
  Result<std::unique_ptr<RetentionStore>> store = Status::Internal("no engine");
  if (config.storage.driver == "postgres") {
    Result<std::shared_ptr<PostgresDatabase>> db =
        OpenPostgresRegistry(config.storage, cipher.ok() ? *cipher : nullptr);
    if (db.ok()) {
      store = std::unique_ptr<RetentionStore>(
          std::make_unique<PostgresRetentionStore>(std::move(db).value()));
    } else {
      store = db.status();
    }
  } else {
    std::error_code ec;
    if (!fs::exists(config.storage.path, ec)) {
      return Status::NotFound("no case database at " + config.storage.path);
    }
    Result<std::unique_ptr<SqliteRetentionStore>> sqlite =
        SqliteRetentionStore::Open(config.storage.path, cipher.ok() ? *cipher : nullptr);
    if (sqlite.ok()) {
      store = std::unique_ptr<RetentionStore>(std::move(sqlite).value());
    } else {
      store = sqlite.status();
    }
  }
  if (!store.ok() && !cipher.ok()) {
    return Status::FailedPrecondition(store.status().message() + " (data key: " +
                                      cipher.status().message() + ")");
  }
  return store;
}

}  // namespace

Result<RetentionReport> RunRetention(const Config& config, Time now, const std::string& actor,
                                     std::ostream& err) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<RetentionStore> store, OpenRetentionStore(config));
  // R23: every leg's recording, tracked in its own table (in the node's
  // SQLite file whatever the driver: recordings are files on this node).
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteRecordingStore> recordings,
                           SqliteRecordingStore::Open(config.storage.path));
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::AuditLog> audit, OpenAuditLog(config));
  const RetentionSettings& days = config.security.retention;
  RetentionJob job(
      *store,
      RetentionPolicyFromDays(days.call_metadata_days, days.personal_data_days,
                              days.recording_days),
      RecordingFileRemover(config.telephony.recordings_dir),
      [&](const std::string& action, const std::string& detail) {
        Result<security::AuditRecord> r =
            audit->Append({actor, action, "registry", detail.substr(0, 4096)}, now);
        if (!r.ok()) err << "warning: cannot write the audit record: " << r.status().message() << "\n";
      },
      1000, recordings.get());
  return job.RunOnce(now);
}

std::function<Status(const std::string& file_name)> RecordingFileRemover(std::string recordings_dir) {
  return [dir = std::move(recordings_dir)](const std::string& file_name) -> Status {
    Result<fs::path> located = security::LocateInRecordingsFolder(dir, file_name);
    // Not NotFound: the row stays live and the failure is audited, rather
    // than a file outside the folder (the folder moved?) being taken as gone.
    if (!located.ok()) {
      return Status::PermissionDenied("not a recording inside " + dir + ": " + file_name.substr(0, 200));
    }
    std::error_code rm;
    if (fs::remove(*located, rm)) return Status::Ok();
    if (!rm) return Status::NotFound("no recording at " + located->string());
    return Status::IoError("cannot remove " + located->string() + ": " + rm.message());
  };
}

std::string DescribeRetention(const RetentionReport& r) {
  return "call records deleted " + std::to_string(r.call_records_deleted) +
         ", kept for a recording with the caller erased " + std::to_string(r.call_records_stripped) +
         ", cases' personal data erased " + std::to_string(r.cases_erased) +
         ", recordings deleted " + std::to_string(r.recordings_deleted) +
         (r.recordings_failed > 0
              ? ", recordings that could not be removed " + std::to_string(r.recordings_failed)
              : std::string());
}

int RunRetentionCommand(const CliContext& ctx, const std::string& now_text, std::ostream& out,
                        std::ostream& err) {
  Time now = SystemClock().Now();
  if (!now_text.empty()) {
    std::optional<Time> parsed = ParseIso8601(now_text);
    if (!parsed) {
      err << "--now: expected an ISO 8601 time such as 2026-03-01T00:00:00Z\n";
      return 2;
    }
    now = *parsed;
  }
  std::optional<Config> config = LoadConfigOrReport(ctx.config_path, err);
  if (!config) return 1;
  if (!ctx.db_path.empty()) config->storage.path = ctx.db_path;
  Result<RetentionReport> report = RunRetention(*config, now, CliActor(), err);
  if (!report.ok()) {
    err << "retention run: " << report.status().message() << "\n";
    return 1;
  }
  out << "retention at " << FormatIso8601(now) << ": " << DescribeRetention(*report) << "\n";
  return 0;
}

RetentionTimer::RetentionTimer(Config config, std::chrono::minutes interval, ReportFn report)
    : config_(std::move(config)), interval_(interval), report_(std::move(report)) {
  thread_ = std::thread([this] { Loop(); });
}

RetentionTimer::~RetentionTimer() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  thread_.join();
}

void RetentionTimer::Loop() {
  MutexLock lock(mu_);
  while (!stop_) {
    lock.Unlock();
    std::ostringstream err;
    Result<RetentionReport> r = RunRetention(config_, SystemClock().Now(), "system:retention", err);
    if (report_) report_(r);
    lock.Lock();
    const auto deadline = std::chrono::steady_clock::now() + interval_;
    while (!stop_ && cv_.WaitUntil(mu_, deadline)) {
    }
  }
}

void AddRetentionCommand(CLI::App& app) {
  auto* retention = app.add_subcommand("retention", "Retention of call records, recordings and personal data");
  retention->require_subcommand(1);
  auto* run = retention->add_subcommand("run", "Run the retention job once");
  auto ctx = std::make_shared<CliContext>();
  auto now = std::make_shared<std::string>();
  run->add_option("--config", ctx->config_path, "Configuration file");
  run->add_option("--db", ctx->db_path, "Case database (overrides storage.path)");
  run->add_option("--now", *now, "Run as at this time (ISO 8601), default now");
  run->callback([ctx, now] {
    if (int rc = RunRetentionCommand(*ctx, *now, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
