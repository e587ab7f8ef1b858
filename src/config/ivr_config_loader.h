// Reads the `ivr:` section into an IvrModel, reporting every mistake with its
// file:line like the rest of the configuration. Runs after the other sections,
// because the menu refers to their topics (service codes), queues and hours.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/ivr_config.h"
#include "config/yaml_reader.h"

namespace gosline {

// Fills config.ivr.model when the section is valid (languages come from
// config.service); adds every problem to `errors`.
void ParseIvrSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

}  // namespace gosline
