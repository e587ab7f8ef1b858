#include "cli/installation_integrity.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

#include "cli/security_context.h"
#include "config/config_loader.h"
#include "http/static_files.h"
#include "security/release_signing.h"

namespace gosline::cli {
namespace {

namespace fs = std::filesystem;

fs::path RunningBinary() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe;
}

}  // namespace

security::InstallationRoots RunningInstallation(const std::string& data_root) {
  security::InstallationRoots roots;
  roots.binary = RunningBinary().string();
  if (std::optional<fs::path> web = http::FindWebRoot()) roots.web = web->string();
  roots.data = (fs::path(data_root) / "data").string();
  return roots;
}

std::string DefaultManifestPath() {
  return (RunningBinary().parent_path() / kManifestFileName).string();
}

int VerifyInstallation(const VerifyOptions& opts, std::ostream& out, std::ostream& err) {
  Result<std::string> key = security::ReadReleasePublicKey(opts.public_key_path);
  if (!key.ok()) {
    err << "gosline verify: " << key.status().message() << "\n";
    return 1;
  }
  const std::string manifest = opts.manifest_path.empty() ? DefaultManifestPath() : opts.manifest_path;
  Result<std::vector<security::IntegrityProblem>> problems = security::CheckInstallation(
      RunningInstallation(opts.data_root), manifest, manifest + ".sig", *key);
  if (!problems.ok()) {
    err << "gosline verify: " << problems.status().message() << "\n";
    return 1;
  }
  for (const security::IntegrityProblem& p : *problems) err << p.what << ": " << p.path << "\n";
  if (!problems->empty()) {
    err << "gosline verify: " << problems->size()
        << " file(s) do not match the signed manifest " << manifest << "\n";
    return kExitIntegrityMismatch;
  }
  out << "gosline verify: the binary, web bundle and default data match the manifest " << manifest
      << " signed by " << opts.public_key_path << "\n";
  return 0;
}

int CheckBeforeServe(const ServeOptions& opts) {
  const std::string& key_path = opts.release_key;
  if (key_path.empty()) {
    // A signed build without its key configured is a deployment mistake worth
    // a warning; a development build has no manifest to check.
    std::error_code ec;
    const bool signed_build = fs::exists(DefaultManifestPath(), ec);
    if (signed_build) {
      spdlog::warn("integrity: not checked, no release public key given (--release-key)");
    } else {
      spdlog::info("integrity: not checked (no release key configured, no signed manifest)");
    }
    return 0;
  }
  std::ostringstream out, err;
  VerifyOptions verify;
  verify.public_key_path = key_path;
  const int rc = VerifyInstallation(verify, out, err);
  if (rc == 0) {
    spdlog::info("integrity: {}", out.str().substr(0, out.str().size() - 1));
    return 0;
  }
  std::istringstream lines(err.str());
  for (std::string line; std::getline(lines, line);) spdlog::error("integrity: {}", line);
  if (!opts.allow_unverified) {
    spdlog::error("integrity: refusing to start an installation that does not match its signed "
                  "manifest; reinstall it, or start with --allow-unverified (audited)");
    return rc;
  }
  spdlog::warn("integrity: starting unverified as --allow-unverified asks");
  // Who started an unverified line, and what did not match, stays on record
  // (R21), in the audit log of the database this line serves.
  ConfigLoadResult loaded = LoadConfigFile(opts.config_path);
  if (!loaded.ok()) return 0;  // the start reports the configuration's errors
  Config config = std::move(loaded.config);
  ApplyServeOverrides(opts, config);
  std::ostringstream audit_err;
  AuditCliAction(config, "integrity.start_unverified", RunningBinary().string(),
                 err.str(), audit_err);
  if (!audit_err.str().empty()) spdlog::warn("integrity: {}", audit_err.str());
  return 0;
}

}  // namespace gosline::cli
