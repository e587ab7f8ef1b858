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
                           {"node_name", "drain_seconds", "probe_target", "probe_interval_seconds",
                            "shared_queue", "leader_poll_ms", "heartbeat_ms", "node_timeout_ms"});
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
  m.Bool("shared_queue", c.shared_queue, Need::kOptional);
  // A standby must take over within seconds (R4): at most every 2 s.
  m.Integer("leader_poll_ms", c.leader_poll_ms, 100, 2000, Need::kOptional);
  m.Integer("heartbeat_ms", c.heartbeat_ms, 100, 5000, Need::kOptional);
  m.Integer("node_timeout_ms", c.node_timeout_ms, 1000, 600'000, Need::kOptional);
  if (!c.shared_queue) return;
  // The storage section comes before this one (config_loader.cc).
  if (config.storage.driver != "postgres") {
    errors.Add(*m.Get("shared_queue"),
               "cluster.shared_queue: needs storage.driver postgres (the nodes share the queue there)");
  }
  if (c.node_name.empty()) {
    errors.Add(*m.Get("shared_queue"), "cluster.shared_queue: needs cluster.node_name (the node's id in the shared queue)");
  }
  // A node is dead only after several missed heartbeats, never after a slow one.
  if (c.node_timeout_ms < 3 * c.heartbeat_ms) {
    errors.Add(m.Get("node_timeout_ms") ? *m.Get("node_timeout_ms") : *m.Get("shared_queue"),
               "cluster.node_timeout_ms: at least three heartbeats (3 x heartbeat_ms)");
  }
}

}  // namespace gosline
