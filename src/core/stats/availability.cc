#include "core/stats/availability.h"

#include <algorithm>
#include <map>
#include <utility>

namespace gosline::stats {
namespace {

// Length of the union of [start, start + cover) over `starts` (sorted),
// clipped to `end`.
Duration Covered(const std::vector<Time>& starts, Duration cover, Time end) {
  Duration total{0};
  Time reached = Time::min();
  for (Time s : starts) {
    const Time from = std::max(s, reached);
    const Time to = std::min(s + cover, end);
    if (to > from) total += to - from;
    reached = std::max(reached, s + cover);
  }
  return total;
}

double Share(Duration part, Duration whole) {
  return whole.count() > 0 ? static_cast<double>(part.count()) / static_cast<double>(whole.count())
                           : 0.0;
}

}  // namespace

AvailabilityReport ComputeAvailability(const std::vector<ProbeResult>& probes, Time from, Time to,
                                       Duration interval) {
  AvailabilityReport r;
  r.from = from;
  r.to = to;
  r.probe_interval = interval;
  if (interval <= Duration::zero() || to <= from) return r;
  const Duration cover = interval + interval / 10;

  struct Node {
    Time first = Time::max();
    std::vector<Time> ok;
    uint64_t probes = 0, failed = 0;
  };
  std::map<std::string, Node> nodes;
  std::vector<Time> line_ok;
  Time line_first = Time::max();
  for (const ProbeResult& p : probes) {
    if (p.at < from || p.at >= to) continue;
    Node& n = nodes[p.node];
    n.first = std::min(n.first, p.at);
    line_first = std::min(line_first, p.at);
    ++n.probes;
    if (p.ok) {
      n.ok.push_back(p.at);
      line_ok.push_back(p.at);
    } else {
      ++n.failed;
    }
  }
  for (auto& [name, n] : nodes) {
    std::sort(n.ok.begin(), n.ok.end());
    NodeAvailability a;
    a.node = name;
    a.counted = to - n.first;
    a.up = Covered(n.ok, cover, to);
    a.probes = n.probes;
    a.failed_probes = n.failed;
    a.availability = Share(a.up, a.counted);
    r.nodes.push_back(std::move(a));
  }
  if (line_first != Time::max()) {
    std::sort(line_ok.begin(), line_ok.end());
    r.counted = to - line_first;
    r.up = Covered(line_ok, cover, to);
    r.availability = Share(r.up, r.counted);
  }
  return r;
}

}  // namespace gosline::stats
