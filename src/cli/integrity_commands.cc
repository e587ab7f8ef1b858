#include "cli/integrity_commands.h"

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/exit_code.h"
#include "cli/installation_integrity.h"
#include "security/installation_check.h"
#include "security/release_manifest.h"
#include "security/release_signing.h"

namespace gosline::cli {
namespace {

struct SignOptions {
  std::string secret_key_path;
  std::string data_root = ".";
  std::string manifest_path;  // "" = beside the binary
};

Status WriteText(const std::string& path, const std::string& text) {
  // Written whole and renamed, so a reader never sees half a manifest.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status::IoError("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

int Sign(const SignOptions& opts) {
  Result<std::string> secret = security::ReadReleaseSecretKey(opts.secret_key_path);
  if (!secret.ok()) {
    std::cerr << "gosline release sign: " << secret.status().message() << "\n";
    return 1;
  }
  const security::InstallationRoots roots = RunningInstallation(opts.data_root);
  Result<std::vector<security::ManifestEntry>> entries = security::HashInstallation(roots);
  Result<std::string> manifest =
      entries.ok() ? security::RenderManifest(*entries) : Result<std::string>(entries.status());
  Result<std::string> signature =
      manifest.ok() ? security::SignRelease(*manifest, *secret) : Result<std::string>(manifest.status());
  const std::string path = opts.manifest_path.empty() ? DefaultManifestPath() : opts.manifest_path;
  Status written = signature.ok() ? WriteText(path, *manifest) : signature.status();
  if (written.ok()) written = WriteText(path + ".sig", *signature + "\n");
  if (!written.ok()) {
    std::cerr << "gosline release sign: " << written.message() << "\n";
    return 1;
  }
  std::cout << "gosline release sign: " << entries->size() << " files ("
            << (roots.web ? "web bundle " + *roots.web : std::string("no web bundle")) << ", data "
            << roots.data << ") in " << path << ", signature in " << path << ".sig\n";
  return 0;
}

}  // namespace

void AddVerifyCommand(CLI::App& app) {
  auto opts = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand(
      "verify", "Check the binary, web bundle and default data against the signed release manifest");
  cmd->add_option("--release-key", opts->public_key_path, "Release public key (release.pub)")
      ->required();
  cmd->add_option("--manifest", opts->manifest_path,
                  "Manifest (default: gosline.manifest beside the binary; signature: <manifest>.sig)");
  cmd->add_option("--root", opts->data_root, "Folder holding data/ (default: the working directory)")
      ->capture_default_str();
  cmd->callback([opts] {
    if (int rc = VerifyInstallation(*opts, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

void AddReleaseCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("release", "Make the release key and sign an installation's manifest");
  cmd->require_subcommand(1);

  auto dir = std::make_shared<std::string>();
  auto* keygen = cmd->add_subcommand("keygen", "Make the release key pair once (kept when it exists)");
  keygen->add_option("--dir", *dir, "Folder for release.key (secret, 0600) and release.pub")->required();
  keygen->callback([dir] {
    Result<bool> made = security::CreateReleaseKeyPairIfMissing(*dir);
    if (!made.ok()) {
      std::cerr << "gosline release keygen: " << made.status().message() << "\n";
      throw ExitCode{1};
    }
    std::cout << "gosline release keygen: " << (*made ? "made" : "kept the existing") << " key pair in "
              << *dir << " (give servers " << *dir << "/release.pub; keep release.key secret)\n";
  });

  auto opts = std::make_shared<SignOptions>();
  auto* sign = cmd->add_subcommand(
      "sign", "Hash this binary, its web bundle and the default data into the manifest and sign it");
  sign->add_option("--secret-key", opts->secret_key_path, "The release secret key (release.key)")
      ->required();
  sign->add_option("--data-root", opts->data_root, "Folder holding data/")->capture_default_str();
  sign->add_option("--manifest", opts->manifest_path,
                   "Where to write the manifest (default: gosline.manifest beside the binary)");
  sign->callback([opts] {
    if (int rc = Sign(*opts); rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
