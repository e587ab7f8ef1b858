#include "core/routing/routing_plan.h"

#include <algorithm>
#include <set>

namespace gosline::routing {

class PlanBuilder {
 public:
  PlanBuilder(const RoutingTopology& topology, const RoutingConfig& config)
      : topology_(topology), config_(config) {}

  Result<RoutingPlan> Build() {
    p_.settings_ = config_.settings;
    GOSLINE_RETURN_IF_ERROR(Settings());
    GOSLINE_RETURN_IF_ERROR(Names());
    GOSLINE_RETURN_IF_ERROR(Queues());
    GOSLINE_RETURN_IF_ERROR(Regions());
    GOSLINE_RETURN_IF_ERROR(Rules());
    Reroutes();
    GOSLINE_RETURN_IF_ERROR(Operators());
    return std::move(p_);
  }

 private:
  static Status Invalid(std::string message) { return Status::InvalidArgument(std::move(message)); }

  static Status Define(RoutingPlan::Index& index, const std::string& id, uint32_t value,
                       const char* what) {
    if (id.empty()) return Invalid(std::string(what) + " with an empty id");
    if (!index.emplace(id, value).second) {
      return Invalid("duplicate " + std::string(what) + " \"" + id + "\"");
    }
    return Status::Ok();
  }

  Status Settings() {
    const RoutingSettings& s = p_.settings_;
    if (s.wrap_up.count() < 0 || s.no_answer.count() <= 0 || s.open_case_weight.count() < 0 ||
        s.promote_after.count() < 0 || s.default_handle_time.count() <= 0) {
      return Invalid("routing settings: durations must not be negative (no_answer and "
                     "default_handle_time above zero)");
    }
    return Status::Ok();
  }

  Status Names() {
    if (topology_.languages.empty()) return Invalid("routing needs at least one language");
    for (const std::string& l : topology_.languages) {
      GOSLINE_RETURN_IF_ERROR(Define(p_.language_index_, l, uint32_t(p_.languages_.size()), "language"));
      p_.languages_.push_back(l);
    }
    for (const TopologyTopic& t : topology_.topics) {
      GOSLINE_RETURN_IF_ERROR(Define(p_.topic_index_, t.id, uint32_t(p_.topic_regional_.size()), "topic"));
      p_.topic_regional_.push_back(t.regional);
    }
    for (const std::string& c : topology_.centres) {
      GOSLINE_RETURN_IF_ERROR(Define(p_.centre_index_, c, uint32_t(p_.centre_index_.size()), "centre"));
    }
    auto federal = RoutingPlan::Find(p_.centre_index_, p_.settings_.federal_centre);
    if (!federal) {
      return Invalid("federal centre \"" + p_.settings_.federal_centre + "\" is not a centre");
    }
    p_.federal_centre_ = *federal;
    return Status::Ok();
  }

  Status Queues() {
    p_.topic_queues_.resize(p_.topic_regional_.size());
    for (const TopologyQueue& q : topology_.queues) {
      const uint32_t index = uint32_t(p_.queues_.size());
      GOSLINE_RETURN_IF_ERROR(Define(p_.queue_index_, q.id, index, "queue"));
      auto topic = p_.FindTopic(q.topic);
      auto centre = RoutingPlan::Find(p_.centre_index_, q.centre);
      if (!topic) return Invalid("queue \"" + q.id + "\": unknown topic \"" + q.topic + "\"");
      if (!centre) return Invalid("queue \"" + q.id + "\": unknown centre \"" + q.centre + "\"");
      p_.queues_.push_back(PlanQueue{q.id, *topic, *centre, {}, false, {}});
      p_.queue_at_.try_emplace({*topic, *centre}, index);  // the first one is the topic's queue there
      auto& list = p_.topic_queues_[*topic];
      // The federal queue first: it is where the topic's calls go by default.
      if (*centre == p_.federal_centre_) {
        list.insert(list.begin(), index);
      } else {
        list.push_back(index);
      }
    }
    for (size_t t = 0; t < p_.topic_queues_.size(); ++t) {
      if (p_.topic_queues_[t].empty()) {
        return Invalid("topic \"" + topology_.topics[t].id + "\" has no queue");
      }
    }
    const size_t languages = p_.languages_.size();
    for (uint32_t q = 0; q < p_.queues_.size(); ++q) {
      for (uint32_t l = 0; l < languages; ++l) p_.pools_.push_back(PlanPool{q, l, kNone});
    }
    return Status::Ok();
  }

  uint32_t AddRegion(const std::string& code) {
    auto [it, inserted] = p_.region_index_.try_emplace(code, uint32_t(p_.region_centre_.size()));
    if (inserted) p_.region_centre_.push_back(kNone);
    return it->second;
  }

  Status Regions() {
    for (const auto& [code, centre] : topology_.region_centres) {
      const uint32_t r = AddRegion(code);
      if (centre.empty()) continue;
      auto c = RoutingPlan::Find(p_.centre_index_, centre);
      if (!c) return Invalid("region " + code + ": unknown centre \"" + centre + "\"");
      p_.region_centre_[r] = *c;
    }
    for (const OperatorProfile& op : config_.operators) {
      for (const std::string& code : op.regions) AddRegion(code);
    }
    return Status::Ok();
  }

  uint32_t CentreOfRegion(uint32_t region) const {
    if (region == kNone || p_.region_centre_[region] == kNone) return p_.federal_centre_;
    return p_.region_centre_[region];
  }

  Result<uint32_t> Target(const PlanQueue& from, const OverflowTarget& target) {
    uint32_t centre = kNone;
    switch (target.kind) {
      case OverflowTarget::Kind::kQueue: {
        auto q = p_.FindQueue(target.id);
        if (!q) return Invalid("overflow of queue \"" + from.id + "\": unknown queue \"" + target.id + "\"");
        return *q;
      }
      case OverflowTarget::Kind::kCentre: {
        auto c = RoutingPlan::Find(p_.centre_index_, target.id);
        if (!c) return Invalid("overflow of queue \"" + from.id + "\": unknown centre \"" + target.id + "\"");
        centre = *c;
        break;
      }
      case OverflowTarget::Kind::kRegion:
        centre = CentreOfRegion(p_.RegionIndex(target.id));
        break;
    }
    auto it = p_.queue_at_.find({from.topic, centre});
    if (it == p_.queue_at_.end()) {
      return Invalid("overflow of queue \"" + from.id + "\": no queue for its topic at the centre of " +
                     target.id);
    }
    return it->second;
  }

  Status Rules() {
    std::set<uint32_t> seen;
    for (const QueueOverflow& o : config_.overflow) {
      auto q = p_.FindQueue(o.queue);
      if (!q) return Invalid("overflow for unknown queue \"" + o.queue + "\"");
      if (!seen.insert(*q).second) return Invalid("overflow for queue \"" + o.queue + "\" given twice");
      if (o.rules.size() > kMaxRulesPerQueue) {
        return Invalid("queue \"" + o.queue + "\" has more than " +
                       std::to_string(kMaxRulesPerQueue) + " overflow rules");
      }
      PlanQueue& queue = p_.queues_[*q];
      for (const OverflowRule& r : o.rules) {
        if (!r.after && !r.wait_above && !r.length_above) {
          return Invalid("overflow rule of queue \"" + o.queue + "\" has no condition");
        }
        GOSLINE_ASSIGN_OR_RETURN(uint32_t target, Target(queue, r.target));
        if (target == *q) return Invalid("overflow rule of queue \"" + o.queue + "\" targets itself");
        PlanRule rule{r.after, r.wait_above, r.length_above, target};
        queue.has_queue_level_rules |= rule.queue_level();
        queue.rules.push_back(rule);
      }
    }
    return Status::Ok();
  }

  void Reroutes() {
    for (uint32_t q = 0; q < p_.queues_.size(); ++q) {
      PlanQueue& queue = p_.queues_[q];
      auto add = [&](uint32_t target) {
        if (target != q && std::find(queue.reroute.begin(), queue.reroute.end(), target) ==
                               queue.reroute.end()) {
          queue.reroute.push_back(target);
        }
      };
      for (const PlanRule& r : queue.rules) add(r.target_queue);
      for (uint32_t other : p_.topic_queues_[queue.topic]) add(other);  // federal first
    }
  }

  Status Operators() {
    for (const OperatorProfile& profile : config_.operators) {
      const uint32_t index = uint32_t(p_.operators_.size());
      GOSLINE_RETURN_IF_ERROR(Define(p_.operator_index_, profile.id, index, "operator"));
      PlanOperator op{profile.id, kNone, {}, {}};
      auto centre = RoutingPlan::Find(p_.centre_index_, profile.centre);
      if (!centre) {
        return Invalid("operator \"" + profile.id + "\": unknown centre \"" + profile.centre + "\"");
      }
      op.centre = *centre;
      std::vector<uint32_t> langs;
      for (const std::string& l : profile.languages) {
        auto li = p_.FindLanguage(l);
        if (!li) return Invalid("operator \"" + profile.id + "\": unknown language \"" + l + "\"");
        langs.push_back(*li);
      }
      if (langs.empty()) return Invalid("operator \"" + profile.id + "\" has no language");
      std::vector<uint32_t> regions;
      for (const std::string& code : profile.regions) regions.push_back(p_.RegionIndex(code));
      std::sort(regions.begin(), regions.end());
      regions.erase(std::unique(regions.begin(), regions.end()), regions.end());
      for (const auto& [topic_id, level] : profile.skills) {
        auto topic = p_.FindTopic(topic_id);
        if (!topic) return Invalid("operator \"" + profile.id + "\": unknown topic \"" + topic_id + "\"");
        if (level < 1 || level > 10) {
          return Invalid("operator \"" + profile.id + "\": skill level of \"" + topic_id +
                         "\" must be 1..10");
        }
        for (uint32_t q : p_.topic_queues_[*topic]) {
          if (p_.queues_[q].centre != op.centre) continue;
          for (uint32_t l : langs) {
            const uint32_t general = p_.GeneralPool(q, l);
            op.general_pools.push_back(general);
            if (!p_.topic_regional_[*topic] || regions.empty()) {
              op.memberships.push_back({general, level});
              continue;
            }
            for (uint32_t r : regions) op.memberships.push_back({RegionPoolFor(q, l, r), level});
          }
        }
      }
      std::sort(op.general_pools.begin(), op.general_pools.end());
      op.general_pools.erase(std::unique(op.general_pools.begin(), op.general_pools.end()),
                             op.general_pools.end());
      p_.operators_.push_back(std::move(op));
    }
    return Status::Ok();
  }

  uint32_t RegionPoolFor(uint32_t queue, uint32_t language, uint32_t region) {
    auto [it, inserted] =
        p_.region_pools_.try_emplace({queue, language, region}, uint32_t(p_.pools_.size()));
    if (inserted) p_.pools_.push_back(PlanPool{queue, language, region});
    return it->second;
  }

  const RoutingTopology& topology_;
  const RoutingConfig& config_;
  RoutingPlan p_;
};

Result<RoutingPlan> RoutingPlan::Build(const RoutingTopology& topology,
                                       const RoutingConfig& config) {
  return PlanBuilder(topology, config).Build();
}

uint32_t RoutingPlan::EntryQueue(uint32_t topic, uint32_t region) const {
  if (topic_regional_[topic] && region != kNone && region_centre_[region] != kNone) {
    auto it = queue_at_.find({topic, region_centre_[region]});
    if (it != queue_at_.end()) return it->second;
  }
  return topic_queues_[topic].front();  // the federal queue if there is one
}

uint32_t RoutingPlan::RegionPool(uint32_t queue, uint32_t language, uint32_t region) const {
  if (region == kNone || region_pools_.empty()) return kNone;
  auto it = region_pools_.find({queue, language, region});
  return it == region_pools_.end() ? kNone : it->second;
}

}  // namespace gosline::routing
