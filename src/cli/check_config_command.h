#pragma once

#include <CLI/CLI.hpp>

#include "cli/exit_code.h"

namespace gosline::cli {

// `gosline check-config FILE`: every error with file:line:column, exit 1 if any.
void AddCheckConfigCommand(CLI::App& app);

}  // namespace gosline::cli
