#include "config/cluster_config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/config_loader.h"

namespace gosline {
namespace {

// The smallest valid file; the cluster section follows on line 8.
constexpr const char* kBase =
    "service: {name: Test, numbers: [\"115\"]}\n"                                // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                   // 2
    "centres: [{id: federal, name: F, hours: always, utc_offset: \"+03:00\"}]\n"  // 3
    "agencies: [{id: a, name: A}]\n"                                              // 4
    "topics: [{id: t, names: {ru: Т}, agency: a}]\n"                              // 5
    "queues: [{id: q, topic: t, centre: federal}]\n"                              // 6
    "escalation: {hours: always, centre: federal}\n";                             // 7

ConfigLoadResult Load(const std::string& section) {
  return LoadConfigText(std::string(kBase) + section, "test.yaml");
}

bool HasError(const ConfigLoadResult& r, int line, const std::string& word) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.line == line && e.message.find(word) != std::string::npos;
  });
}

TEST(ClusterConfigLoaderTest, DefaultsWithoutTheSection) {
  const ConfigLoadResult r = Load("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.cluster.node_name, "");
  EXPECT_EQ(r.config.cluster.drain_seconds, 0);
}

TEST(ClusterConfigLoaderTest, EveryKeyIsRead) {
  const ConfigLoadResult r = Load("cluster:\n  node_name: node-b.msk\n  drain_seconds: 45\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.cluster.node_name, "node-b.msk");
  EXPECT_EQ(r.config.cluster.drain_seconds, 45);
}

TEST(ClusterConfigLoaderTest, ADayIsTheLongestDrain) {
  const ConfigLoadResult r = Load("cluster: {drain_seconds: 86400}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.cluster.drain_seconds, 86'400);
}

TEST(ClusterConfigLoaderTest, MistakesAreReportedOnTheirLine) {
  EXPECT_TRUE(HasError(Load("cluster:\n  drain_seconds: -1\n"), 9, "drain_seconds"));
  EXPECT_TRUE(HasError(Load("cluster:\n  drain_seconds: 86401\n"), 9, "drain_seconds"));
  EXPECT_TRUE(HasError(Load("cluster:\n  drain_seconds: soon\n"), 9, "drain_seconds"));
  EXPECT_TRUE(HasError(Load("cluster:\n  node_name: \"node a; rm\"\n"), 9, "node_name"));
  EXPECT_TRUE(HasError(Load("cluster:\n  drain_secs: 10\n"), 9, "drain_secs"));
}

}  // namespace
}  // namespace gosline

namespace gosline {
namespace {

// One queue order across the nodes (R4, R11) needs the shared database and a node id.
TEST(ClusterConfigLoaderTest, R11_ASharedQueueNeedsPostgresAndANodeName) {
  const std::string postgres = "storage: {driver: postgres, postgres: {conninfo: \"dbname=g\"}}\n";
  ConfigLoadResult r = LoadConfigText(std::string(kBase) + postgres +
                                          "cluster:\n  node_name: a\n  shared_queue: true\n"
                                          "  leader_poll_ms: 500\n  heartbeat_ms: 200\n"
                                          "  node_timeout_ms: 3000\n",
                                      "test.yaml");
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  EXPECT_TRUE(r.config.cluster.shared_queue);
  EXPECT_EQ(r.config.cluster.leader_poll_ms, 500);
  EXPECT_EQ(r.config.cluster.heartbeat_ms, 200);
  EXPECT_EQ(r.config.cluster.node_timeout_ms, 3000);

  EXPECT_TRUE(HasError(Load("cluster:\n  node_name: a\n  shared_queue: true\n"), 10, "postgres"));
  r = LoadConfigText(std::string(kBase) + postgres + "cluster:\n  shared_queue: true\n", "test.yaml");
  EXPECT_TRUE(HasError(r, 10, "node_name"));
  r = LoadConfigText(std::string(kBase) + postgres +
                         "cluster:\n  node_name: a\n  shared_queue: true\n  node_timeout_ms: 2000\n",
                     "test.yaml");
  EXPECT_TRUE(HasError(r, 12, "three heartbeats"));
  EXPECT_TRUE(HasError(Load("cluster:\n  leader_poll_ms: 5000\n"), 9, "leader_poll_ms"));
  // Without it, nothing changes for a single node.
  EXPECT_FALSE(Load("").config.cluster.shared_queue);
}

}  // namespace
}  // namespace gosline
