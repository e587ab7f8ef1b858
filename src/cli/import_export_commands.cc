#include "cli/import_export_commands.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "core/common/system_clock.h"
#include "config/config_vocabulary.h"
#include "cli/security_context.h"
#include "io/case_export.h"
#include "io/case_import.h"

namespace gosline::cli {
namespace {

// The format named by --format, else the one the file name implies.
std::optional<CaseFileFormat> ChooseFormat(const std::string& flag, const std::string& path,
                                           std::optional<CaseFileFormat> fallback,
                                           std::ostream& err) {
  if (!flag.empty()) return ParseCaseFileFormat(flag);  // CLI11 checked the name
  if (std::optional<CaseFileFormat> f = CaseFileFormatFromPath(path)) return f;
  if (!fallback) {
    err << path << ": cannot tell the format from the file name; give --format csv or "
        << "--format jsonl\n";
  }
  return fallback;
}

void AddContextOptions(CLI::App& cmd, CliContext& ctx) {
  cmd.add_option("-c,--config", ctx.config_path, "Configuration file (YAML)")
      ->capture_default_str();
  cmd.add_option("--db", ctx.db_path, "SQLite database file (overrides storage.path)");
}

std::optional<Time> ParseTimeFlag(const std::string& text, const char* flag, std::ostream& err) {
  std::optional<Time> t = ParseIso8601(text);
  if (!t)
    err << flag << ": '" << text << "' is not an ISO 8601 time such as 2025-01-31 or "
        << "2025-01-31T09:00:00+03:00\n";
  return t;
}

}  // namespace

int RunImport(const ImportCommandOptions& opts, std::ostream& out, std::ostream& err) {
  const std::optional<CaseFileFormat> format =
      ChooseFormat(opts.format, opts.file, std::nullopt, err);
  if (!format) return 2;
  std::ifstream in(opts.file, std::ios::binary);
  if (!in) {
    err << opts.file << ": cannot open: " << std::strerror(errno) << "\n";
    return 1;
  }
  std::optional<CliRegistry> registry = OpenRegistry(opts.context, err);
  if (!registry) return 1;
  const ConfigVocabulary vocabulary(registry->config);
  const ImportContext ctx{.store = *registry->store,
                          .vocabulary = vocabulary,
                          .now = SystemClock().Now(),
                          .source_name = opts.file,
                          .max_rows = opts.max_rows,
                          .dry_run = opts.dry_run};
  const ImportReport report = ImportCases(in, *format, ctx);

  if (!report.ok()) {
    std::set<int> bad_lines;
    for (const ImportProblem& p : report.problems) {
      err << opts.file;
      if (p.line > 0) err << ":" << p.line;
      err << ": " << p.reason << "\n";
      if (p.line > 0) bad_lines.insert(p.line);
    }
    err << opts.file << ": " << bad_lines.size() << " of " << report.rows
        << " rows rejected; nothing was imported\n";
    if (!opts.dry_run) {
      AuditCliAction(registry->config, "cases.import", "file:" + opts.file,
                     "rejected: " + std::to_string(bad_lines.size()) + " of " +
                         std::to_string(report.rows) + " rows; nothing imported",
                     err);
    }
    return 1;
  }
  if (opts.dry_run) {
    out << opts.file << ": " << report.rows << " cases checked, all can be imported; "
        << "nothing written (dry run)\n";
  } else {
    out << "imported " << report.imported << " cases from " << opts.file << "\n";
    AuditCliAction(registry->config, "cases.import", "file:" + opts.file,
                   "imported " + std::to_string(report.imported) + " cases", err);
  }
  return 0;
}

int RunExport(const ExportCommandOptions& opts, std::ostream& out, std::ostream& err) {
  const std::optional<CaseFileFormat> format =
      ChooseFormat(opts.format, opts.out_file, CaseFileFormat::kCsv, err);
  ExportFilter filter;
  if (!opts.status.empty()) {
    if (!(filter.status = ParseCaseStatus(opts.status))) {
      err << "--status: unknown status '" << opts.status << "'\n";
      return 2;
    }
  }
  if (!opts.topic.empty()) filter.topic = opts.topic;
  if (!opts.region.empty()) filter.region = opts.region;
  if (!opts.created_from.empty()) {
    if (!(filter.created_from = ParseTimeFlag(opts.created_from, "--from", err))) return 2;
  }
  if (!opts.created_to.empty()) {
    if (!(filter.created_to = ParseTimeFlag(opts.created_to, "--to", err))) return 2;
  }
  std::optional<CliRegistry> registry = OpenRegistry(opts.context, err, /*must_exist=*/true);
  if (!registry) return 1;

  if (opts.out_file.empty()) {
    Result<size_t> n = ExportCases(*registry->store, out, *format, filter);
    if (!n.ok()) {
      err << "export failed: " << n.status().message() << "\n";
      return 1;
    }
    err << "exported " << *n << " cases\n";  // stdout holds the data
    AuditCliAction(registry->config, "cases.export", "stdout",
                   "exported " + std::to_string(*n) + " cases", err);
    return 0;
  }

  // Written beside the target and renamed when complete, so a failed export
  // never leaves a half file that looks whole.
  const std::string partial = opts.out_file + ".partial";
  Result<size_t> n = Status::IoError("not written");
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << partial << ": cannot write: " << std::strerror(errno) << "\n";
      return 1;
    }
    n = ExportCases(*registry->store, file, *format, filter);
    file.close();
    if (n.ok() && !file) n = Status::IoError("cannot write " + partial);
  }
  std::error_code ec;
  if (n.ok()) std::filesystem::rename(partial, opts.out_file, ec);
  if (!n.ok() || ec) {
    std::filesystem::remove(partial, ec);
    err << opts.out_file << ": export failed: " << (n.ok() ? ec.message() : n.status().message())
        << "\n";
    return 1;
  }
  out << "exported " << *n << " cases to " << opts.out_file << "\n";
  AuditCliAction(registry->config, "cases.export", "file:" + opts.out_file,
                 "exported " + std::to_string(*n) + " cases", err);
  return 0;
}

void AddImportCommand(CLI::App& app) {
  auto opts = std::make_shared<ImportCommandOptions>();
  auto* cmd = app.add_subcommand(
      "import", "Import historical cases from CSV or JSON Lines: all or nothing per file");
  cmd->add_option("file", opts->file, "File to import (.csv or .jsonl)")->required();
  cmd->add_option("-f,--format", opts->format, "csv or jsonl (default: by extension)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  AddContextOptions(*cmd, opts->context);
  cmd->add_flag("--dry-run", opts->dry_run, "Check every row, write nothing");
  cmd->add_option("--max-rows", opts->max_rows, "Refuse files with more rows")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([opts] {
    if (int rc = RunImport(*opts, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

void AddExportCommand(CLI::App& app) {
  auto opts = std::make_shared<ExportCommandOptions>();
  auto* cmd = app.add_subcommand("export", "Export the case registry as CSV or JSON Lines");
  cmd->add_option("-f,--format", opts->format,
                  "csv or jsonl (default: by --out extension, else csv)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("-o,--out", opts->out_file, "Output file (default: standard output)");
  AddContextOptions(*cmd, opts->context);
  cmd->add_option("--status", opts->status, "Only cases in this status (new, in_progress, ...)");
  cmd->add_option("--topic", opts->topic, "Only cases of this topic id");
  cmd->add_option("--region", opts->region, "Only cases of this region code");
  cmd->add_option("--from", opts->created_from, "Only cases created at or after (ISO 8601)");
  cmd->add_option("--to", opts->created_to, "Only cases created before (ISO 8601)");
  cmd->callback([opts] {
    if (int rc = RunExport(*opts, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
