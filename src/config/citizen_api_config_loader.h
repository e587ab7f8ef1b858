// Reads the `citizen_api:` section into CitizenApiSettings, reporting
// mistakes with their file:line like the rest of the configuration.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace gosline {

void ParseCitizenApiSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

}  // namespace gosline
