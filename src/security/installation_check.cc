#include "security/installation_check.h"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "security/crypto_ready.h"
#include "security/encoding.h"
#include "security/release_signing.h"

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

// Streamed: the binary is tens of megabytes (hundreds with sanitizers).
Result<std::string> Sha256HexOfFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path.string());
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()),
                                static_cast<unsigned long long>(got));
    }
  }
  if (in.bad()) return Status::IoError("cannot read " + path.string());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return HexEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

// Every regular file under `root`, as "<area>/<relative path>".
Status HashTree(const fs::path& root, const std::string& area, std::vector<ManifestEntry>& out) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Status::Ok();  // an absent area has no files
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    const std::string path = area + "/" + it->path().lexically_relative(root).generic_string();
    GOSLINE_ASSIGN_OR_RETURN(std::string digest, Sha256HexOfFile(it->path()));
    out.push_back(ManifestEntry{path, std::move(digest)});
  }
  if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
  return Status::Ok();
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::vector<ManifestEntry>> HashInstallation(const InstallationRoots& roots) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  std::vector<ManifestEntry> entries;
  GOSLINE_ASSIGN_OR_RETURN(std::string binary, Sha256HexOfFile(roots.binary));
  entries.push_back(ManifestEntry{"bin/gosline", std::move(binary)});
  if (roots.web) GOSLINE_RETURN_IF_ERROR(HashTree(*roots.web, "web", entries));
  GOSLINE_RETURN_IF_ERROR(HashTree(roots.data, "data", entries));
  std::sort(entries.begin(), entries.end(),
            [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
  return entries;
}

Result<std::vector<IntegrityProblem>> CheckInstallation(const InstallationRoots& roots,
                                                        const std::string& manifest_path,
                                                        const std::string& signature_path,
                                                        const std::string& public_key) {
  std::vector<IntegrityProblem> problems;
  Result<std::string> manifest_text = ReadWhole(manifest_path);
  if (!manifest_text.ok()) return std::vector<IntegrityProblem>{{manifest_path, "missing"}};
  Result<std::string> signature = ReadWhole(signature_path);
  if (!signature.ok()) return std::vector<IntegrityProblem>{{signature_path, "missing"}};
  // The signature first: an unsigned list of digests proves nothing.
  if (Status st = VerifyRelease(*manifest_text, *signature, public_key); !st.ok()) {
    return std::vector<IntegrityProblem>{{manifest_path, st.message()}};
  }
  Result<std::vector<ManifestEntry>> listed = ParseManifest(*manifest_text);
  if (!listed.ok()) return std::vector<IntegrityProblem>{{manifest_path, listed.status().message()}};

  GOSLINE_ASSIGN_OR_RETURN(std::vector<ManifestEntry> installed, HashInstallation(roots));
  std::map<std::string, std::string> found;
  for (ManifestEntry& e : installed) found.emplace(std::move(e.path), std::move(e.sha256_hex));
  for (const ManifestEntry& e : *listed) {
    auto it = found.find(e.path);
    if (it == found.end()) {
      problems.push_back({e.path, "missing"});
      continue;
    }
    if (it->second != e.sha256_hex) problems.push_back({e.path, "changed"});
    found.erase(it);
  }
  // A file nobody signed would be served or read all the same.
  for (const auto& [path, digest] : found) problems.push_back({path, "not in the manifest"});
  std::sort(problems.begin(), problems.end(),
            [](const IntegrityProblem& a, const IntegrityProblem& b) { return a.path < b.path; });
  return problems;
}

}  // namespace gosline::security
