// What the routing core is told at start-up, as plain data: the topology it
// routes over (topics, queues, centres, regions: from the config's other
// sections) and the `routing:` section (operators, timings, overflow rules).
// The config layer fills these; Router::Create checks them again.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/time.h"

namespace gosline::routing {

struct TopologyTopic {
  std::string id;
  bool regional = false;  // R10: goes to the caller's regional centre first
};

struct TopologyQueue {
  std::string id;
  std::string topic;
  std::string centre;
};

struct RoutingTopology {
  std::vector<std::string> languages;  // every language a call or operator may have
  std::vector<TopologyTopic> topics;
  std::vector<TopologyQueue> queues;
  std::vector<std::string> centres;
  // Federal subject code -> the centre that takes its regional topics.
  // Regions not listed go to the federal centre.
  std::map<std::string, std::string> region_centres;
};

struct OperatorProfile {
  std::string id;                        // login, "ivanova"
  std::string name;
  std::map<std::string, int> skills;     // topic -> level 1..10 (10 = expert)
  std::vector<std::string> languages;
  // For regional topics only: the federal subjects whose callers this
  // operator takes (local knowledge). Empty = every region.
  std::vector<std::string> regions;
  std::string centre;
};

// Where an overflow rule also offers the call (R11).
struct OverflowTarget {
  enum class Kind {
    kQueue,   // that queue
    kCentre,  // the queue of the same topic at that centre
    kRegion,  // the queue of the same topic at that region's centre (federal if none)
  };
  Kind kind = Kind::kQueue;
  std::string id;
};

// "After N s, or when the estimated wait passes T, or when more than L calls
// wait -> also offer the call to X" (any of the conditions; at least one).
// The call stays offered where it was: whichever operator is free first takes it.
struct OverflowRule {
  std::optional<Duration> after;         // the call has waited this long in the queue
  std::optional<Duration> wait_above;    // the queue's estimated wait is longer than this
  std::optional<size_t> length_above;    // more calls than this wait in the queue
  OverflowTarget target;
};

struct QueueOverflow {
  std::string queue;
  std::vector<OverflowRule> rules;  // at most kMaxRulesPerQueue
};
inline constexpr size_t kMaxRulesPerQueue = 32;

struct RoutingSettings {
  Duration wrap_up{std::chrono::seconds(30)};     // after each call, then ready by itself
  Duration no_answer{std::chrono::seconds(20)};   // ringing longer: not ready, call requeued
  // R9: a caller with an open case counts as having waited this much longer.
  Duration open_case_weight{std::chrono::seconds(60)};
  // Aging: a call that has waited this long is served before any caller who
  // came after it, whatever their priority (0 = off; the weight alone already
  // bounds how many callers can overtake one).
  Duration promote_after{std::chrono::seconds(0)};
  // Handle time assumed for a queue's estimated wait until calls were handled.
  Duration default_handle_time{std::chrono::seconds(300)};
  std::string federal_centre = "federal";  // last resort of every queue's topic
};

struct RoutingConfig {
  RoutingSettings settings;
  std::vector<OperatorProfile> operators;
  std::vector<QueueOverflow> overflow;
  // R10: the numbering register the adapter loads (path, relative to the
  // working directory) and register region names -> federal subject codes.
  std::string numbering_csv;
  std::vector<std::pair<std::string, std::string>> numbering_region_names;
};

}  // namespace gosline::routing
