// Reads the `telephony:` section (SIP/RTP listeners, admission, timers,
// prompt cache) into TelephonySettings, reporting every mistake with its
// file:line like the rest of the configuration. A file without the section
// gets the defaults of TelephonySettings (the demo values).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace gosline {

void ParseTelephonySection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors);

// "20000-20999": two ports 1024..65535, the first not above the second.
// Shared with `gosline serve --rtp-ports`.
std::optional<std::pair<uint16_t, uint16_t>> ParsePortRange(std::string_view text);

}  // namespace gosline
