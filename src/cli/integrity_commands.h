// The commands of installation integrity (R22):
//   gosline verify --release-key K [--manifest M] [--root DIR]
//       checks the running installation against its signed manifest and
//       prints each file that does not match (exit 3), as serve does at start;
//   gosline release keygen --dir DIR
//       makes the release key pair once (release.key 0600, release.pub);
//   gosline release sign --secret-key K [--data-root DIR] [--manifest M]
//       hashes the running binary, its web bundle and DIR/data into the
//       manifest and signs it (M and M.sig, beside the binary by default).
#pragma once

#include <CLI/CLI.hpp>

namespace gosline::cli {

void AddVerifyCommand(CLI::App& app);
void AddReleaseCommand(CLI::App& app);

}  // namespace gosline::cli
