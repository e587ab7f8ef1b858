#pragma once

#include <CLI/CLI.hpp>

#include "cli/exit_code.h"

namespace gosline::cli {

// `gosline serve --config FILE`: runs the hotline until SIGINT/SIGTERM.
void AddServeCommand(CLI::App& app);

}  // namespace gosline::cli
