// R13: corrective actions start and end by themselves, without flapping.
// Every test runs on a simulated clock: times are passed in.
#include "core/corrective/corrective_engine.h"

#include <gtest/gtest.h>

namespace gosline::corrective {
namespace {

using std::chrono::seconds;

const Time kT0 = FromUnixMillis(1'800'000'000'000);

CorrectiveAction Act(ActionKind kind, std::string from = "", std::string to = "",
                     std::string prompt = "") {
  CorrectiveAction a;
  a.kind = kind;
  a.from_queue = std::move(from);
  a.to_queue = std::move(to);
  a.prompt = std::move(prompt);
  return a;
}

QueueReading Reading(std::string queue) {
  QueueReading r;
  r.queue = std::move(queue);
  return r;
}

CorrectiveRule LongQueue() {
  CorrectiveRule r;
  r.name = "taxes-long-queue";
  r.when = Trigger{Figure::kQueueLength, "taxes", /*above=*/true, 5, seconds(60)};
  r.recover = Recovery{2, seconds(120)};
  r.actions = {Act(ActionKind::kOpenOverflow, "taxes", "other"),
               Act(ActionKind::kPageSupervisors)};
  return r;
}

std::vector<QueueReading> Length(double taxes, double other = 0) {
  QueueReading t = Reading("taxes"), o = Reading("other");
  t.queue_length = taxes;
  o.queue_length = other;
  return {t, o};
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = CorrectiveEngine::Create({LongQueue()}).value(); }
  // Feeds the same readings every 10 s from `from` to `to` (inclusive);
  // returns every transition.
  std::vector<Transition> Feed(const std::vector<QueueReading>& r, int from_s, int to_s) {
    std::vector<Transition> all;
    for (int s = from_s; s <= to_s; s += 10) {
      for (Transition& t : engine_.Evaluate(r, kT0 + seconds(s))) all.push_back(std::move(t));
    }
    return all;
  }
  CorrectiveEngine engine_;
};

TEST_F(EngineTest, AThresholdCrossedForLessThanTheHoldDoesNothing) {
  EXPECT_TRUE(Feed(Length(9), 0, 50).empty());  // 50 s above 5, the hold is 60 s
  EXPECT_TRUE(Feed(Length(3), 60, 60).empty());  // a break
  EXPECT_TRUE(Feed(Length(9), 70, 120).empty());  // the hold starts again at 70 s
  EXPECT_FALSE(engine_.States()[0].active);
  EXPECT_TRUE(engine_.ActiveActions().empty());
}

TEST_F(EngineTest, AThresholdHeldActivatesOnceWithItsReason) {
  std::vector<Transition> t = Feed(Length(9), 0, 300);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(t[0].activate);
  EXPECT_EQ(t[0].rule, "taxes-long-queue");
  EXPECT_EQ(t[0].cause, "threshold");
  EXPECT_EQ(t[0].reason.figure, Figure::kQueueLength);
  EXPECT_EQ(t[0].reason.queue, "taxes");
  EXPECT_EQ(t[0].reason.value, 9);
  EXPECT_EQ(t[0].reason.threshold, 5);
  EXPECT_EQ(t[0].reason.since, kT0);
  EXPECT_EQ(t[0].at, kT0 + seconds(60));
  EXPECT_EQ(t[0].actions, LongQueue().actions);
  EXPECT_EQ(engine_.ActiveActions(), LongQueue().actions);
  const RuleState s = engine_.States()[0];
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.since, kT0);
  EXPECT_EQ(s.activations, 1u);
}

TEST_F(EngineTest, AValueInsideTheHysteresisBandKeepsTheActionOn) {
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  // 3 and 5 are no longer above the trigger but not yet at the recovery (2).
  EXPECT_TRUE(Feed(Length(3), 70, 600).empty());
  EXPECT_TRUE(Feed(Length(5), 610, 900).empty());
  EXPECT_TRUE(engine_.States()[0].active);
}

TEST_F(EngineTest, RecoveryHeldDeactivatesOnceAndABreakRestartsTheHold) {
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  EXPECT_TRUE(Feed(Length(1), 70, 170).empty());  // 100 s recovered, the hold is 120 s
  EXPECT_TRUE(Feed(Length(3), 180, 180).empty());  // back in the band: a break
  EXPECT_TRUE(Feed(Length(2), 190, 300).empty());  // 110 s since 190
  std::vector<Transition> t = Feed(Length(2), 310, 900);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_FALSE(t[0].activate);
  EXPECT_EQ(t[0].cause, "recovered");
  EXPECT_EQ(t[0].reason.threshold, 2);
  EXPECT_EQ(t[0].reason.since, kT0 + seconds(190));
  EXPECT_EQ(t[0].at, kT0 + seconds(310));
  EXPECT_EQ(t[0].actions, LongQueue().actions);
  EXPECT_FALSE(engine_.States()[0].active);
  EXPECT_TRUE(engine_.ActiveActions().empty());
  // And it can fire again later, counted.
  ASSERT_EQ(Feed(Length(7), 1000, 1060).size(), 1u);
  EXPECT_EQ(engine_.States()[0].activations, 2u);
}

TEST_F(EngineTest, AnUnknownFigureChangesNothing) {
  CorrectiveRule sl;
  sl.name = "sl-low";
  sl.when = Trigger{Figure::kServiceLevel15m, "", /*above=*/false, 0.8, seconds(30)};
  sl.recover = Recovery{0.85, seconds(30)};
  sl.actions = {Act(ActionKind::kOfferCallback)};
  engine_ = CorrectiveEngine::Create({sl}).value();
  QueueReading low = Reading("taxes");
  low.service_level_15m = 0.5;
  QueueReading unknown = Reading("taxes");
  EXPECT_TRUE(engine_.Evaluate({low}, kT0).empty());
  EXPECT_TRUE(engine_.Evaluate({unknown}, kT0 + seconds(20)).empty());  // no break
  std::vector<Transition> t = engine_.Evaluate({low}, kT0 + seconds(30));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].reason.since, kT0);
}

TEST_F(EngineTest, ARuleWithoutAQueueWatchesTheWorstQueue) {
  CorrectiveRule sl;
  sl.name = "sl-low";
  sl.when = Trigger{Figure::kServiceLevel15m, "", /*above=*/false, 0.8, seconds(0)};
  sl.recover = Recovery{0.85, seconds(0)};
  sl.actions = {Act(ActionKind::kPageSupervisors)};
  engine_ = CorrectiveEngine::Create({sl}).value();
  QueueReading a = Reading("taxes"), b = Reading("other");
  a.service_level_15m = 0.9;
  b.service_level_15m = 0.6;
  std::vector<Transition> t = engine_.Evaluate({a, b}, kT0);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].reason.queue, "other");
  EXPECT_DOUBLE_EQ(t[0].reason.value, 0.6);
  b.service_level_15m = 0.84;  // inside the band
  EXPECT_TRUE(engine_.Evaluate({a, b}, kT0 + seconds(10)).empty());
  b.service_level_15m = 0.86;
  ASSERT_EQ(engine_.Evaluate({a, b}, kT0 + seconds(20)).size(), 1u);
}

TEST_F(EngineTest, ReconfigureKeepsAnUnchangedRuleAndEndsARemovedOne) {
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  auto same = engine_.Reconfigure({LongQueue()}, kT0 + seconds(70));
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
  EXPECT_TRUE(engine_.States()[0].active);

  auto removed = engine_.Reconfigure({}, kT0 + seconds(80));
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_FALSE((*removed)[0].activate);
  EXPECT_EQ((*removed)[0].cause, "rule removed");
  EXPECT_EQ((*removed)[0].actions, LongQueue().actions);
  EXPECT_TRUE(engine_.ActiveActions().empty());
}

TEST_F(EngineTest, ReconfigureOfAnActiveRulesTriggerEndsItAndJudgesItAfresh) {
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  CorrectiveRule stricter = LongQueue();
  stricter.when.threshold = 8;
  auto changed = engine_.Reconfigure({stricter}, kT0 + seconds(70));
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_FALSE((*changed)[0].activate);
  EXPECT_EQ((*changed)[0].cause, "configuration changed");
  // Still above 8: it comes back after its hold, not at once.
  EXPECT_TRUE(Feed(Length(9), 80, 130).empty());
  ASSERT_EQ(Feed(Length(9), 140, 140).size(), 1u);
}

TEST_F(EngineTest, ReconfigureOfAnActiveRulesActionsSwapsThemAtOnce) {
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  CorrectiveRule louder = LongQueue();
  louder.actions.push_back(
      Act(ActionKind::kHighLoadAnnouncement, "", "", "high_load"));
  auto changed = engine_.Reconfigure({louder}, kT0 + seconds(70));
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->size(), 2u);
  EXPECT_FALSE((*changed)[0].activate);
  EXPECT_EQ((*changed)[0].actions, LongQueue().actions);
  EXPECT_TRUE((*changed)[1].activate);
  EXPECT_EQ((*changed)[1].actions, louder.actions);
  EXPECT_EQ(engine_.ActiveActions(), louder.actions);
}

TEST_F(EngineTest, InvalidRulesAreRefusedWithTheFieldNamed) {
  CorrectiveRule wrong_side = LongQueue();
  wrong_side.recover.threshold = 7;  // above the trigger of an "above" rule: never ends
  Result<CorrectiveEngine> r = CorrectiveEngine::Create({wrong_side});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("recover.threshold"), std::string::npos);

  CorrectiveRule share = LongQueue();
  share.when = Trigger{Figure::kServiceLevel15m, "", false, 80, seconds(0)};
  share.recover = Recovery{85, seconds(0)};
  EXPECT_FALSE(CorrectiveEngine::Create({share}).ok());

  CorrectiveRule no_target = LongQueue();
  no_target.actions = {Act(ActionKind::kOpenOverflow, "taxes")};
  EXPECT_FALSE(CorrectiveEngine::Create({no_target}).ok());

  CorrectiveRule none = LongQueue();
  none.actions.clear();
  EXPECT_FALSE(CorrectiveEngine::Create({none}).ok());

  EXPECT_FALSE(CorrectiveEngine::Create({LongQueue(), LongQueue()}).ok());
  // A refused reconfiguration changes nothing.
  ASSERT_EQ(Feed(Length(9), 0, 60).size(), 1u);
  EXPECT_FALSE(engine_.Reconfigure({none}, kT0 + seconds(70)).ok());
  EXPECT_TRUE(engine_.States()[0].active);
}

}  // namespace
}  // namespace gosline::corrective
