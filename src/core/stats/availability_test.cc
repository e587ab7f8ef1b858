#include "core/stats/availability.h"

#include <gtest/gtest.h>

namespace gosline::stats {
namespace {

using namespace std::chrono_literals;

const Time kMonth = *ParseIso8601("2026-12-01T00:00:00Z");

std::vector<ProbeResult> EveryMinute(const std::string& node, Time from, Time to, bool ok) {
  std::vector<ProbeResult> out;
  for (Time t = from; t < to; t += 1min) out.push_back({t, node, ok, ok ? "200 OK" : "timeout"});
  return out;
}

TEST(AvailabilityTest, ALineIsUpWhileAnyNodeGetsThrough) {
  const Time to = kMonth + 10h;
  // Node a up all the time; node b failing from 02:00 to 03:00 and not
  // running at all (no probes) from 05:00 to 06:00.
  auto probes = EveryMinute("a", kMonth, to, true);
  for (auto part : {EveryMinute("b", kMonth, kMonth + 2h, true),
                    EveryMinute("b", kMonth + 2h, kMonth + 3h, false),
                    EveryMinute("b", kMonth + 3h, kMonth + 5h, true),
                    EveryMinute("b", kMonth + 6h, to, true)}) {
    probes.insert(probes.end(), part.begin(), part.end());
  }
  const AvailabilityReport r = ComputeAvailability(probes, kMonth, to, 1min);
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[0].node, "a");
  EXPECT_EQ(r.nodes[0].counted, 10h);
  EXPECT_DOUBLE_EQ(r.nodes[0].availability, 1.0);
  EXPECT_EQ(r.nodes[1].counted, 10h);
  EXPECT_EQ(r.nodes[1].failed_probes, 60u);
  EXPECT_EQ(r.nodes[1].probes, 540u);
  // Down from 02:00 to 03:00 and 05:00 to 06:00, less the 6 s the last
  // good probe before each gap covers.
  EXPECT_EQ(r.nodes[1].up, 8h + 12s);
  EXPECT_NEAR(r.nodes[1].availability, 0.8, 0.001);
  EXPECT_EQ(r.counted, 10h);
  EXPECT_DOUBLE_EQ(*r.availability, 1.0);
  EXPECT_DOUBLE_EQ(r.target, 0.99);
}

TEST(AvailabilityTest, TheLineIsDownWhenNoNodeGetsThrough) {
  const Time to = kMonth + 100min;
  std::vector<ProbeResult> probes;
  for (const char* node : {"a", "b"}) {
    for (auto part : {EveryMinute(node, kMonth, kMonth + 90min, true),
                      EveryMinute(node, kMonth + 90min, to, false)}) {
      probes.insert(probes.end(), part.begin(), part.end());
    }
  }
  const AvailabilityReport r = ComputeAvailability(probes, kMonth, to, 1min);
  EXPECT_EQ(r.counted, 100min);
  EXPECT_EQ(r.up, 90min + 6s);
  EXPECT_NEAR(*r.availability, 0.901, 0.001);
}

TEST(AvailabilityTest, LateProbesLeaveNoGapButMissingOnesDo) {
  std::vector<ProbeResult> probes;
  // Every 63 s instead of 60: within the tenth's tolerance.
  for (Time t = kMonth; t < kMonth + 1h; t += 63s) probes.push_back({t, "late", true, "200 OK"});
  const AvailabilityReport r = ComputeAvailability(probes, kMonth, kMonth + 1h, 1min);
  EXPECT_DOUBLE_EQ(r.nodes[0].availability, 1.0);
  // Every 2 minutes: half the time uncovered (less the tolerance).
  probes.clear();
  for (Time t = kMonth; t < kMonth + 1h; t += 2min) probes.push_back({t, "sparse", true, "200 OK"});
  const AvailabilityReport sparse = ComputeAvailability(probes, kMonth, kMonth + 1h, 1min);
  EXPECT_NEAR(sparse.nodes[0].availability, 0.55, 0.001);
}

TEST(AvailabilityTest, ANodeCountsFromItsFirstProbeAndOutsideProbesAreIgnored) {
  const Time to = kMonth + 60min;
  auto probes = EveryMinute("new", kMonth + 30min, to, true);
  probes.push_back({kMonth - 1min, "new", false, "before the period"});
  probes.push_back({to, "new", false, "after the period"});
  const AvailabilityReport r = ComputeAvailability(probes, kMonth, to, 1min);
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.nodes[0].counted, 30min);
  EXPECT_EQ(r.nodes[0].failed_probes, 0u);
  EXPECT_DOUBLE_EQ(r.nodes[0].availability, 1.0);
}

TEST(AvailabilityTest, NoProbesNoFigure) {
  const AvailabilityReport r = ComputeAvailability({}, kMonth, kMonth + 1h, 1min);
  EXPECT_FALSE(r.availability.has_value());
  EXPECT_TRUE(r.nodes.empty());
  EXPECT_FALSE(ComputeAvailability({}, kMonth, kMonth, 1min).availability.has_value());
}

}  // namespace
}  // namespace gosline::stats
