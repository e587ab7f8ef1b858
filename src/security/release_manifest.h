// The release manifest: the SHA-256 of every file a gosline installation runs
// from, so that what is installed can be checked against what was built and
// signed (R22, "проверка целостности программных модулей"). Text, one file a
// line, sorted:
//
//   gosline-manifest 1
//   <64 hex digits>  bin/gosline
//   <64 hex digits>  web/index.html
//   <64 hex digits>  data/knowledge/snils.md
//
// The first path part names an area (bin: the binary; web: the web bundle;
// data: the default data), the rest is the file's path inside that area's
// root. The text is what the release key signs, byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace gosline::security {

inline constexpr std::string_view kManifestHeader = "gosline-manifest 1";

struct ManifestEntry {
  std::string path;        // "web/assets/app.js": area, '/', path inside the area
  std::string sha256_hex;  // 64 lowercase hex digits
};

// Whether `path` may name a file in a manifest: an area and a relative path
// of plain parts (no "", ".", ".."), no backslash, no control characters.
bool IsManifestPath(std::string_view path);

// The manifest's text, entries sorted by path. InvalidArgument for a bad
// path, a bad digest or a path given twice.
Result<std::string> RenderManifest(std::vector<ManifestEntry> entries);

// The entries of a manifest's text, in order. Strict: the header, then lines
// of "<digest>  <path>\n", sorted and unique; anything else is InvalidArgument
// naming the line, since a manifest is written by us and then signed.
Result<std::vector<ManifestEntry>> ParseManifest(std::string_view text);

}  // namespace gosline::security
