// This installation checked against its signed release manifest (R22,
// integrity of the installed software), the way `gosline serve` finds what it
// runs: the binary is the running executable, the web bundle is the folder
// http::FindWebRoot serves (web/dist beside the binary, else in the working
// directory), the default data is ./data under the working directory. The
// manifest and its signature lie beside the binary (gosline.manifest,
// gosline.manifest.sig), where the build writes them.
#pragma once

#include <ostream>
#include <string>

#include "cli/serve_options.h"
#include "security/installation_check.h"

namespace gosline::cli {

// Exit code of `gosline verify` and `gosline serve` when the installation
// does not match its signed manifest (1 stays "could not check").
inline constexpr int kExitIntegrityMismatch = 3;

inline constexpr const char* kManifestFileName = "gosline.manifest";

// The areas of the running installation; data_root is the folder holding data/.
security::InstallationRoots RunningInstallation(const std::string& data_root);

// gosline.manifest beside the running binary.
std::string DefaultManifestPath();

struct VerifyOptions {
  std::string public_key_path;  // the release public key
  std::string manifest_path;    // "" = DefaultManifestPath()
  std::string data_root = ".";
};

// Prints each problem ("changed: web/index.html") to err and returns 0 when
// the installation is as signed, kExitIntegrityMismatch when not, 1 when it
// cannot be checked (no readable public key).
int VerifyInstallation(const VerifyOptions& opts, std::ostream& out, std::ostream& err);

// The check `gosline serve` runs before it starts anything, with the key of
// --release-key. Returns 0 to go on: the installation is as signed, no key is
// given (logged), or it does not match and --allow-unverified is given
// (audited). Otherwise the exit code.
int CheckBeforeServe(const ServeOptions& opts);

}  // namespace gosline::cli
