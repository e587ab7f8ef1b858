// Reads the `cluster:` section into ClusterSettings, reporting mistakes with
// their file:line like the rest of the configuration. A file without the
// section gets the defaults of ClusterSettings.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace gosline {

void ParseClusterSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

}  // namespace gosline
