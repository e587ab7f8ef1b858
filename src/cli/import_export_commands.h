// `gosline import` and `gosline export` (R17): historical cases in and out of
// the registry the configuration names, as CSV or JSON Lines.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "cli/cli_context.h"
#include "cli/exit_code.h"
#include "core/cases/case.h"

namespace gosline::cli {

struct ImportCommandOptions {
  CliContext context{};
  std::string file{};
  std::string format{};  // "csv" | "jsonl"; "" = by the file's extension
  bool dry_run = false;
  size_t max_rows = 1'000'000;
};

struct ExportCommandOptions {
  CliContext context{};
  std::string out_file{};  // "" = standard output
  std::string format{};    // "csv" | "jsonl"; "" = by out_file's extension, else csv
  std::string status{}, topic{}, region{};   // filters; "" = any
  std::string created_from{}, created_to{};  // ISO 8601; "" = open
};

// `gosline import FILE [--format csv|jsonl] [--config FILE] [--db FILE] [--dry-run]`
// Prints "imported N cases from FILE", or every rejected row as
// "FILE:LINE: reason" and exits 1 with nothing written.
void AddImportCommand(CLI::App& app);

// `gosline export [--format csv|jsonl] [--out FILE] [--config FILE] [--db FILE]
//  [--status S] [--topic T] [--region R] [--from TIME] [--to TIME]`
// Writes to standard output unless --out; a file appears only when complete.
void AddExportCommand(CLI::App& app);

// The commands themselves, returning the exit code (for tests).
int RunImport(const ImportCommandOptions& opts, std::ostream& out, std::ostream& err);
int RunExport(const ExportCommandOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace gosline::cli
