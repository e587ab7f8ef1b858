// Reads the `corrective_actions:` list (R13) into Config::corrective_actions,
// reporting mistakes with their file:line like the rest of the configuration:
// unknown figures, queues, centres and prompts, a recovery threshold on the
// wrong side of the trigger, thresholds outside a figure's range. Rules with
// `enabled: false` are checked but not run. Read after the queues, the
// centres and the IVR's prompts it refers to.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace gosline {

void ParseCorrectiveSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

}  // namespace gosline
