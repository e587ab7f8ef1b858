#include "security/release_manifest.h"

#include <algorithm>

namespace gosline::security {
namespace {

bool IsLowerHexDigest(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status LineError(size_t line, std::string_view what) {
  return Status::InvalidArgument("manifest line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

bool IsManifestPath(std::string_view path) {
  if (path.empty() || path.size() > 4096) return false;
  size_t parts = 0;
  while (true) {
    const size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      // Control characters would let a name break the line format or a terminal.
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
    }
    ++parts;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts >= 2;  // an area and a file inside it
}

Result<std::string> RenderManifest(std::vector<ManifestEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
  std::string out(kManifestHeader);
  out += '\n';
  for (size_t i = 0; i < entries.size(); ++i) {
    const ManifestEntry& e = entries[i];
    if (!IsManifestPath(e.path)) return Status::InvalidArgument("not a manifest path", e.path);
    if (!IsLowerHexDigest(e.sha256_hex)) return Status::InvalidArgument("not a SHA-256 digest", e.path);
    if (i > 0 && entries[i - 1].path == e.path) {
      return Status::InvalidArgument("file listed twice", e.path);
    }
    out += e.sha256_hex;
    out += "  ";
    out += e.path;
    out += '\n';
  }
  return out;
}

Result<std::vector<ManifestEntry>> ParseManifest(std::string_view text) {
  std::vector<ManifestEntry> entries;
  size_t line_no = 0;
  bool header = true;
  while (!text.empty()) {
    ++line_no;
    const size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return LineError(line_no, "no line end");
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    if (header) {
      if (line != kManifestHeader) return LineError(line_no, "expected the header 'gosline-manifest 1'");
      header = false;
      continue;
    }
    if (line.size() < 67 || line.substr(64, 2) != "  ") {
      return LineError(line_no, "expected '<sha256>  <path>'");
    }
    ManifestEntry e{std::string(line.substr(66)), std::string(line.substr(0, 64))};
    if (!IsLowerHexDigest(e.sha256_hex)) return LineError(line_no, "not a SHA-256 digest");
    if (!IsManifestPath(e.path)) return LineError(line_no, "not a manifest path");
    if (!entries.empty() && entries.back().path >= e.path) {
      return LineError(line_no, "paths out of order or listed twice");
    }
    entries.push_back(std::move(e));
  }
  if (header) return Status::InvalidArgument("empty manifest");
  return entries;
}

}  // namespace gosline::security
