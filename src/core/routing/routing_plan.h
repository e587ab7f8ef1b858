// The static side of routing, resolved once from the topology and the
// `routing:` section: dense indexes for topics, queues, languages, regions and
// operators; the pools (who can take which call); overflow rules with their
// targets resolved to queues; and each queue's reroute order for when it has
// nobody logged in (R11).
//
// A pool is a queue x a language (x a region, for operators who take only some
// regions' callers of a regional topic). A call waits in every pool it is
// offered to; an operator is ready in every pool they serve.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/common/status.h"
#include "core/routing/routing_config.h"

namespace gosline::routing {

inline constexpr uint32_t kNone = UINT32_MAX;

struct PlanRule {
  std::optional<Duration> after;
  std::optional<Duration> wait_above;
  std::optional<size_t> length_above;
  uint32_t target_queue = kNone;
  bool queue_level() const { return wait_above || length_above; }
};

struct PlanQueue {
  std::string id;
  uint32_t topic = kNone;
  uint32_t centre = kNone;
  std::vector<PlanRule> rules;
  bool has_queue_level_rules = false;
  // Where calls go, in order, when nobody who could take them is logged in:
  // the rules' targets, then the topic's federal queue, then its other queues.
  std::vector<uint32_t> reroute;
};

struct PlanPool {
  uint32_t queue = kNone;
  uint32_t language = kNone;
  uint32_t region = kNone;  // kNone: every region
};

struct PlanOperator {
  std::string id;
  uint32_t centre = kNone;
  struct Membership {
    uint32_t pool;
    int level;
  };
  std::vector<Membership> memberships;
  std::vector<uint32_t> general_pools;  // distinct (queue, language) pools, for estimates
};

class RoutingPlan {
 public:
  static Result<RoutingPlan> Build(const RoutingTopology& topology, const RoutingConfig& config);

  const RoutingSettings& settings() const { return settings_; }
  const std::vector<PlanQueue>& queues() const { return queues_; }
  const std::vector<PlanPool>& pools() const { return pools_; }
  const std::vector<PlanOperator>& operators() const { return operators_; }
  const std::vector<std::string>& languages() const { return languages_; }

  std::optional<uint32_t> FindQueue(std::string_view id) const { return Find(queue_index_, id); }
  std::optional<uint32_t> FindTopic(std::string_view id) const { return Find(topic_index_, id); }
  std::optional<uint32_t> FindLanguage(std::string_view id) const {
    return Find(language_index_, id);
  }
  std::optional<uint32_t> FindOperator(std::string_view id) const {
    return Find(operator_index_, id);
  }
  uint32_t RegionIndex(std::string_view code) const {  // kNone for a region nobody names
    return Find(region_index_, code).value_or(kNone);
  }

  // R8/R10: the queue a call for `topic` from `region` enters: for a regional
  // topic the region's centre's queue, else the federal one, else the first.
  uint32_t EntryQueue(uint32_t topic, uint32_t region) const;
  uint32_t GeneralPool(uint32_t queue, uint32_t language) const {
    return queue * uint32_t(languages_.size()) + language;
  }
  // The pool of operators who take only some regions' callers; kNone if none.
  uint32_t RegionPool(uint32_t queue, uint32_t language, uint32_t region) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Index = std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>>;
  static std::optional<uint32_t> Find(const Index& index, std::string_view id) {
    auto it = index.find(id);
    if (it == index.end()) return std::nullopt;
    return it->second;
  }

  RoutingSettings settings_;
  std::vector<std::string> languages_;
  std::vector<PlanQueue> queues_;
  std::vector<PlanPool> pools_;
  std::vector<PlanOperator> operators_;
  std::vector<bool> topic_regional_;
  std::vector<uint32_t> region_centre_;          // by region index; kNone = federal
  std::vector<std::vector<uint32_t>> topic_queues_;  // by topic; federal queue first
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> queue_at_;  // (topic, centre) -> queue
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> region_pools_;
  uint32_t federal_centre_ = kNone;
  Index queue_index_, topic_index_, language_index_, operator_index_, region_index_, centre_index_;

  friend class PlanBuilder;
};

}  // namespace gosline::routing
