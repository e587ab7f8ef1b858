// Checks the files of an installation against its signed release manifest
// (release_manifest.h): the binary that runs, the web bundle it serves and the
// default data it reads. `gosline release sign` hashes the same files to write
// the manifest; `gosline verify` and `gosline serve` compare them with it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "security/release_manifest.h"

namespace gosline::security {

// Where each area of the manifest lies on this machine.
struct InstallationRoots {
  std::string binary;              // the gosline executable: bin/gosline
  std::optional<std::string> web;  // the web bundle's folder (web/dist): web/...; none when not built
  std::string data;                // the default data folder (./data): data/...
};

// Every file of the installation with its SHA-256, as a manifest lists them.
Result<std::vector<ManifestEntry>> HashInstallation(const InstallationRoots& roots);

struct IntegrityProblem {
  std::string path;  // "web/index.html", or the manifest's own file name
  std::string what;  // "changed", "missing", "not in the manifest", why the signature fails
};

// Reads the manifest and its signature, checks the signature with the public
// key and every file against the manifest. Problems are returned (empty = the
// installation is as signed); an error only when a file cannot be read at all
// for another reason than being missing.
Result<std::vector<IntegrityProblem>> CheckInstallation(const InstallationRoots& roots,
                                                        const std::string& manifest_path,
                                                        const std::string& signature_path,
                                                        const std::string& public_key);

}  // namespace gosline::security
