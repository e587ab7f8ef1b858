#include "core/routing/routing_plan.h"

#include <gtest/gtest.h>

#include "core/routing/router_test_support.h"

namespace gosline::routing {
namespace {

using namespace std::chrono_literals;
using test::After;
using test::Config;
using test::Op;
using test::ToCentre;
using test::ToQueue;
using test::ToRegion;
using test::Topology;

std::string BuildError(const RoutingConfig& config, const RoutingTopology& topology = Topology()) {
  Result<RoutingPlan> plan = RoutingPlan::Build(topology, config);
  return plan.ok() ? "" : plan.status().message();
}

TEST(RoutingPlanTest, R10_RegionalTopicsEnterTheRegionsCentreQueue) {
  Result<RoutingPlan> plan = RoutingPlan::Build(Topology(), Config({}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const uint32_t pensions = *plan->FindTopic("pensions");
  const uint32_t registration = *plan->FindTopic("registration");
  auto queue_id = [&](uint32_t q) { return plan->queues()[q].id; };
  EXPECT_EQ(queue_id(plan->EntryQueue(pensions, plan->RegionIndex("16"))), "kazan-pensions");
  EXPECT_EQ(queue_id(plan->EntryQueue(pensions, plan->RegionIndex("54"))), "novosibirsk-pensions");
  EXPECT_EQ(queue_id(plan->EntryQueue(pensions, plan->RegionIndex("77"))), "federal-pensions");
  EXPECT_EQ(queue_id(plan->EntryQueue(pensions, plan->RegionIndex("99"))), "federal-pensions");
  EXPECT_EQ(queue_id(plan->EntryQueue(registration, plan->RegionIndex("16"))), "federal-registration");
}

TEST(RoutingPlanTest, R11_RerouteOrderIsRulesThenFederalThenOtherCentres) {
  RoutingConfig config = Config({});
  config.overflow = {{"kazan-pensions", {After(60s, ToRegion("54"))}}};
  Result<RoutingPlan> plan = RoutingPlan::Build(Topology(), config);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const PlanQueue& kazan = plan->queues()[*plan->FindQueue("kazan-pensions")];
  std::vector<std::string> order;
  for (uint32_t q : kazan.reroute) order.push_back(plan->queues()[q].id);
  EXPECT_EQ(order, (std::vector<std::string>{"novosibirsk-pensions", "federal-pensions"}));
  ASSERT_EQ(kazan.rules.size(), 1u);
  EXPECT_EQ(plan->queues()[kazan.rules[0].target_queue].id, "novosibirsk-pensions");
}

TEST(RoutingPlanTest, R12_OperatorsServeTheirCentresQueuesOfTheirSkillsInTheirLanguages) {
  Result<RoutingPlan> plan = RoutingPlan::Build(
      Topology(), Config({Op("a", {{"pensions", 7}, {"taxes", 2}}, "kazan", {"ru", "tt"})}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const PlanOperator& a = plan->operators()[0];
  // Kazan has a pensions queue only: ru and tt pools of it.
  ASSERT_EQ(a.memberships.size(), 2u);
  for (const auto& m : a.memberships) {
    EXPECT_EQ(plan->queues()[plan->pools()[m.pool].queue].id, "kazan-pensions");
    EXPECT_EQ(m.level, 7);
  }
}

TEST(RoutingPlanTest, ReportsWhatIsWrong) {
  EXPECT_NE(BuildError(Config({Op("a", {{"cooking", 5}})})).find("unknown topic \"cooking\""),
            std::string::npos);
  EXPECT_NE(BuildError(Config({Op("a", {{"taxes", 11}})})).find("must be 1..10"), std::string::npos);
  EXPECT_NE(BuildError(Config({Op("a", {{"taxes", 1}}, "omsk")})).find("unknown centre \"omsk\""),
            std::string::npos);
  EXPECT_NE(BuildError(Config({Op("a", {{"taxes", 1}}, "federal", {"de"})}))
                .find("unknown language \"de\""),
            std::string::npos);
  EXPECT_NE(BuildError(Config({Op("a", {{"taxes", 1}}), Op("a", {{"taxes", 1}})}))
                .find("duplicate operator \"a\""),
            std::string::npos);

  RoutingConfig bad_target = Config({});
  bad_target.overflow = {{"federal-taxes", {After(60s, ToCentre("kazan"))}}};
  EXPECT_NE(BuildError(bad_target).find("no queue for its topic at the centre of kazan"),
            std::string::npos);
  RoutingConfig itself = Config({});
  itself.overflow = {{"federal-taxes", {After(60s, ToQueue("federal-taxes"))}}};
  EXPECT_NE(BuildError(itself).find("targets itself"), std::string::npos);
  RoutingConfig no_condition = Config({});
  no_condition.overflow = {{"federal-taxes", {OverflowRule{{}, {}, {}, ToQueue("federal-registration")}}}};
  EXPECT_NE(BuildError(no_condition).find("has no condition"), std::string::npos);

  RoutingConfig no_federal = Config({});
  no_federal.settings.federal_centre = "moscow";
  EXPECT_NE(BuildError(no_federal).find("federal centre \"moscow\""), std::string::npos);

  RoutingTopology topicless = Topology();
  topicless.topics.push_back({"orphan", false});
  EXPECT_NE(BuildError(Config({}), topicless).find("topic \"orphan\" has no queue"), std::string::npos);
}

}  // namespace
}  // namespace gosline::routing
