// Availability of the line (R4: 99% a month), from probes. Every node calls
// the line from outside (through the SIP front, as a citizen would) every
// probe interval and stores the result; here the results become figures.
//
// - A successful probe shows its node (and the line) up from its time for one
//   interval and a tenth (probes run a little late on a busy machine; a
//   late one must not leave a gap). A failed probe covers nothing, and
//   neither does a missing one: a node that is not running cannot record its
//   own failure.
// - A node is counted from its first probe in the period (before, it did not
//   exist yet) to the end of the period; the line from the first probe of any
//   node. The line is up wherever any node's probe got through: the probe
//   went through the front, so a citizen could have too.
// Pure: results and times are passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/time.h"

namespace gosline::stats {

struct ProbeResult {
  Time at{};
  std::string node;
  bool ok = false;
  std::string detail;   // "200 OK", "timeout", "503 Service Unavailable"
};

struct NodeAvailability {
  std::string node;
  Duration counted{0};         // from the node's first probe to the end of the period
  Duration up{0};              // covered by successful probes
  uint64_t probes = 0;
  uint64_t failed_probes = 0;  // answered wrongly or not at all
  double availability = 0;     // up / counted
};

struct AvailabilityReport {
  Time from{}, to{};
  Duration probe_interval{};
  std::vector<NodeAvailability> nodes;  // by name
  Duration counted{0};                  // line: from the first probe of any node
  Duration up{0};
  std::optional<double> availability;   // nullopt: no probe in the period
  double target = 0.99;                 // R4
};

// Over [from, to); `to` is the end of the period or now, whichever is
// earlier (the caller's choice).
AvailabilityReport ComputeAvailability(const std::vector<ProbeResult>& probes, Time from, Time to,
                                       Duration probe_interval);

}  // namespace gosline::stats
