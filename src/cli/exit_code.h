// Subcommands run inside CLI11 callbacks; they end with a non-zero status by
// throwing ExitCode, which main() turns into the process exit code.
#pragma once

namespace gosline::cli {

struct ExitCode {
  int code;
};

}  // namespace gosline::cli
