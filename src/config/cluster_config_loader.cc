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

// sip:[user@]host[:port]: letters, digits and . - + only, so nothing but an
// address can reach the probe's request line.
std::optional<std::string> ProbeTarget(const std::string& text) {
  if (text.rfind("sip:", 0) != 0 || text.size() < 5 || text.size() > 200) return std::nullopt;
  int ats = 0, colons = 0;
  for (char c : text.substr(4)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '@') {
      ++ats;
    } else if (c == ':') {
      ++colons;
    } else if (!std::isalnum(u) && c != '.' && c != '-' && c != '+') {
      return std::nullopt;
    }
  }
  if (ats > 1 || colons > 1) return std::nullopt;
  return text;
}

}  // namespace

void ParseClusterSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors) {
  using yaml_reader::Need;
  yaml_reader::MapReader m(errors, node, "cluster",
                           {"node_name", "drain_seconds", "probe_target", "probe_interval_seconds"});
  if (!m.is_map()) return;
  ClusterSettings& c = config.cluster;
  m.Formatted<std::string>("node_name", c.node_name, Need::kOptional, NodeName,
                           "1-64 letters, digits, '-', '_' or '.'");
  // A day at most: a drain longer than any call is a node that never stops.
  m.Integer("drain_seconds", c.drain_seconds, 0, 86'400, Need::kOptional);
  m.Formatted<std::string>("probe_target", c.probe_target, Need::kOptional, ProbeTarget,
                           "a SIP URI such as sip:115@10.0.0.1:5060");
  // At least every 5 s would be load, not measurement; at most hourly to
  // still mean something for a month.
  m.Integer("probe_interval_seconds", c.probe_interval_seconds, 5, 3600, Need::kOptional);
}

}  // namespace gosline
