// Loads config YAML into Config and validates it. Every problem is reported,
// not just the first, each with file:line:column and what was expected, so
// `gosline check-config` and `gosline serve` print the same list.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/common/status.h"

namespace gosline {

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when the error is about the file as a whole
  int column = 0;  // 1-based
  std::string message;  // "topics[2].service_code: expected digits, got \"1a\""
  std::string ToString() const;  // "config/gosline.yaml:12:5: topics[2]..."
};

struct ConfigLoadResult {
  Config config;
  std::vector<ConfigError> errors;  // empty = valid
  bool ok() const { return errors.empty(); }
};

ConfigLoadResult LoadConfigFile(const std::string& path);
ConfigLoadResult LoadConfigText(const std::string& text, const std::string& name_for_errors);

}  // namespace gosline
