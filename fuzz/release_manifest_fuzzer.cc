// The release manifest (R22), read by `gosline verify` and `gosline serve`
// before its signature says whether to trust it. Oracles: a manifest that
// parses renders back to the same bytes (the text is what is signed, so it
// has exactly one spelling), and every path it accepts stays inside its area.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "security/release_manifest.h"

using namespace gosline::security;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gosline::Result<std::vector<ManifestEntry>> entries = ParseManifest(text);
  if (!entries.ok()) return 0;
  for (const ManifestEntry& e : *entries) {
    FUZZ_CHECK(IsManifestPath(e.path));
    FUZZ_CHECK(e.path.front() != '/');
  }
  gosline::Result<std::string> rendered = RenderManifest(*entries);
  FUZZ_CHECK(rendered.ok());
  FUZZ_CHECK(*rendered == text);
  return 0;
}
