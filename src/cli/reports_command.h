// The historical reports' rollups (R18) from the command line:
//   gosline reports rebuild --from 2026-11-01 --to 2026-12-01 [--config] [--db]
// recounts every 15-minute interval in [from, to) from the call records
// (after a change of definitions, or when the rollups were lost). The server
// keeps them up to date by itself (storage/report_rollup_store.h), so this is
// a repair, safe to run while it serves. Calls whose records retention has
// removed are not in the records any more: a rebuilt range loses them.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <ostream>
#include <string>

#include "cli/cli_context.h"
#include "config/config.h"
#include "storage/sqlite/sqlite_report_rollup_store.h"

namespace gosline::cli {

// The rollups' settings from the configuration: each topic's default agency.
SqliteReportRollupOptions ReportRollupOptionsFor(const Config& config);
// The local time of report days, weeks and months: the federal centre's.
std::chrono::minutes ReportUtcOffset(const Config& config);

// 0: done (the count printed); 1: an error; 2: bad arguments.
int RunReportsRebuild(const CliContext& ctx, const std::string& from, const std::string& to,
                      std::ostream& out, std::ostream& err);

void AddReportsCommand(CLI::App& app);

}  // namespace gosline::cli
