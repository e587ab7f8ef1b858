// Reads the `routing:` section (operators, timings, overflow rules, the
// numbering register: R9-R12) into Config::routing, reporting every mistake
// with its file:line like the rest of the configuration. Runs after the
// sections it refers to (centres, topics, regions, queues, service languages).
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"
#include "core/routing/routing_config.h"

namespace gosline {

void ParseRoutingSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

// What the routing core routes over, taken from the other sections: the
// service's languages, topics (regional or not), queues, centres, and which
// centre takes each region's regional topics.
routing::RoutingTopology RoutingTopologyOf(const Config& config);

}  // namespace gosline
