#include "cli/reports_command.h"

#include <iostream>
#include <optional>

#include "cli/exit_code.h"
#include "core/common/time.h"

namespace gosline::cli {

SqliteReportRollupOptions ReportRollupOptionsFor(const Config& config) {
  SqliteReportRollupOptions o;
  for (const Topic& t : config.topics) {
    if (!t.agency.empty()) o.topic_agency[t.id] = t.agency;
  }
  return o;
}

std::chrono::minutes ReportUtcOffset(const Config& config) {
  for (const Centre& c : config.centres) {
    if (c.id == config.routing.settings.federal_centre) return c.utc_offset;
  }
  return std::chrono::minutes(180);
}

int RunReportsRebuild(const CliContext& ctx, const std::string& from_text,
                      const std::string& to_text, std::ostream& out, std::ostream& err) {
  const std::optional<Time> from = ParseIso8601(from_text);
  const std::optional<Time> to = ParseIso8601(to_text);
  if (!from || !to || *from >= *to) {
    err << "--from and --to: ISO 8601 times (2026-11-01 or 2026-11-01T00:00:00+03:00), from "
           "before to\n";
    return 2;
  }
  std::optional<Config> config = LoadConfigOrReport(ctx.config_path, err);
  if (!config) return 1;
  if (!ctx.db_path.empty()) config->storage.path = ctx.db_path;
  if (config->storage.driver == "postgres") {
    err << "reports rebuild: the rollups are kept in SQLite only (storage.driver: sqlite)\n";
    return 1;
  }
  auto store = SqliteReportRollupStore::Open(config->storage.path, ReportRollupOptionsFor(*config));
  if (!store.ok()) {
    err << "reports rebuild: " << store.status().message() << "\n";
    return 1;
  }
  Result<size_t> recounted = (*store)->Rebuild(*from, *to);
  if (!recounted.ok()) {
    err << "reports rebuild: " << recounted.status().message() << "\n";
    return 1;
  }
  out << "reports rebuild: " << *recounted << " intervals of 15 minutes recounted from "
      << FormatIso8601(stats::IntervalStart(*from)) << " to " << FormatIso8601(*to) << "\n";
  return 0;
}

void AddReportsCommand(CLI::App& app) {
  auto* reports = app.add_subcommand("reports", "Historical reports (R18)");
  reports->require_subcommand(1);
  auto* rebuild = reports->add_subcommand(
      "rebuild", "Recount the reports' 15-minute rollups of a range from the call records");
  auto ctx = std::make_shared<CliContext>();
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  rebuild->add_option("--config", ctx->config_path, "Configuration file");
  rebuild->add_option("--db", ctx->db_path, "Case database (overrides storage.path)");
  rebuild->add_option("--from", *from, "Start of the range (ISO 8601), inclusive")->required();
  rebuild->add_option("--to", *to, "End of the range (ISO 8601), exclusive")->required();
  rebuild->callback([ctx, from, to] {
    if (int rc = RunReportsRebuild(*ctx, *from, *to, std::cout, std::cerr); rc != 0) {
      throw ExitCode{rc};
    }
  });
}

}  // namespace gosline::cli
