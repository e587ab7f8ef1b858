// The configuration YAML (config/gosline.yaml) through the loader that
// `gosline check-config`, `gosline serve` and every live edit from the
// administration screen use: any text an administrator submits must come back
// as a Config or as a list of errors, never as a crash. Oracles: the loader
// is deterministic (same text, same errors), every error names the file and
// a line inside the text (or 0 for the file as a whole), and a NUL byte (where
// yaml-cpp silently stops reading) is an error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const gosline::ConfigLoadResult first = gosline::LoadConfigText(text, "fuzz.yaml");
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const gosline::ConfigError& e : first.errors) {
    FUZZ_CHECK(e.file == "fuzz.yaml");
    FUZZ_CHECK(e.line >= 0 && e.line <= lines + 1);
    FUZZ_CHECK(!e.message.empty());
  }
  // Text after a NUL byte would be read by nobody: such a file is refused.
  if (text.find('\0') != std::string::npos) FUZZ_CHECK(!first.ok());
  const gosline::ConfigLoadResult second = gosline::LoadConfigText(text, "fuzz.yaml");
  FUZZ_CHECK(second.errors.size() == first.errors.size());
  return 0;
}
