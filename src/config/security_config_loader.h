// Reads the `security:` section into SecuritySettings, reporting every
// mistake with its file:line like the rest of the configuration. A file
// without the section gets the defaults (no key: TOTP enrolment is refused).
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace gosline {

void ParseSecuritySection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

}  // namespace gosline
