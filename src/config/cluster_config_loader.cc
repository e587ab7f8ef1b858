#include "config/cluster_config_loader.h"

#include <cctype>
#include <optional>
#include <string>

namespace gosline {
namespace {

// A node's name goes into logs, reports and the front's list: short and plain.
std::optional<std::string> NodeName(const std::string& text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '_' && c != '.') return std::nullopt;
  }
  return text;
}

}  // namespace

void ParseClusterSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors) {
  using yaml_reader::Need;
  yaml_reader::MapReader m(errors, node, "cluster", {"node_name", "drain_seconds"});
  if (!m.is_map()) return;
  ClusterSettings& c = config.cluster;
  m.Formatted<std::string>("node_name", c.node_name, Need::kOptional, NodeName,
                           "1-64 letters, digits, '-', '_' or '.'");
  // A day at most: a drain longer than any call is a node that never stops.
  m.Integer("drain_seconds", c.drain_seconds, 0, 86'400, Need::kOptional);
}

}  // namespace gosline
