// Skills-based assignment (R12): topic and language, skill level, longest
// idle, fairness, operator states and wrap-up.
#include <gtest/gtest.h>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

using Offer = std::pair<CallId, std::string>;

TEST(RouterSkillsTest, R12_OnlyOperatorsWithTheTopicAndLanguageGetTheCall) {
  Router r = MakeRouter(Config({Op("taxes_ru", {{"taxes", 5}}),
                                Op("reg_en", {{"registration", 5}}, "federal", {"en"}),
                                Op("reg_ru", {{"registration", 5}})}));
  for (const char* op : {"taxes_ru", "reg_en", "reg_ru"}) Ready(r, op, T(0));
  Enqueue(r, Call(1, "registration"), T(1));
  Enqueue(r, Call(2, "registration", "77", false, "en"), T(2));
  Enqueue(r, Call(3, "taxes"), T(3));
  EXPECT_EQ(Offers(r.Dispatch(T(3))),
            (std::vector<Offer>{{1, "reg_ru"}, {2, "reg_en"}, {3, "taxes_ru"}}));
  // Nobody left with the skill: the next registration call waits.
  Enqueue(r, Call(4, "registration"), T(4));
  EXPECT_TRUE(Offers(r.Dispatch(T(4))).empty());
  EXPECT_EQ(r.StatusOf(4)->state, CallState::kWaiting);
}

TEST(RouterSkillsTest, R12_HigherSkillLevelBeatsLongerIdle) {
  Router r = MakeRouter(Config({Op("novice", {{"taxes", 3}}), Op("expert", {{"taxes", 8}})}));
  Ready(r, "novice", T(0));
  Ready(r, "expert", T(100));
  Enqueue(r, Call(1, "taxes"), T(200));
  Enqueue(r, Call(2, "taxes"), T(201));
  EXPECT_EQ(Offers(r.Dispatch(T(201))), (std::vector<Offer>{{1, "expert"}, {2, "novice"}}));
}

TEST(RouterSkillsTest, R12_LongestIdleFirstAmongEqualLevels) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}}), Op("c", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Ready(r, "c", T(5));
  Ready(r, "b", T(10));
  for (CallId id = 1; id <= 3; ++id) Enqueue(r, Call(id, "taxes"), T(20));
  EXPECT_EQ(Offers(r.Dispatch(T(20))), (std::vector<Offer>{{1, "a"}, {2, "c"}, {3, "b"}}));
}

TEST(RouterSkillsTest, R12_FreeOperatorTakesTheLongestWaitingCallAmongItsSkills) {
  Router r = MakeRouter(Config({Op("both", {{"taxes", 2}, {"registration", 9}})}));
  Enqueue(r, Call(1, "taxes"), T(0));
  Enqueue(r, Call(2, "registration"), T(5));
  Enqueue(r, Call(3, "taxes"), T(10));
  Ready(r, "both", T(20));
  EXPECT_EQ(Offers(r.Dispatch(T(20))), (std::vector<Offer>{{1, "both"}}));
  Handle(r, 1, T(21), 60s);  // wrap-up 10 s: ready at 91
  EXPECT_EQ(Offers(r.Dispatch(T(91))), (std::vector<Offer>{{2, "both"}}));
}

TEST(RouterSkillsTest, R12_CallsAreSharedEvenlyAcrossEqualOperators) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}}), Op("c", {{"taxes", 5}})}));
  for (const char* op : {"a", "b", "c"}) Ready(r, op, T(0));
  std::map<std::string, int> calls_per_operator;
  // One call a minute, each answered at once and handled in 30 s: with
  // longest-idle first, the operators take turns.
  for (int i = 0; i < 30; ++i) {
    const CallId id = CallId(i + 1);
    Enqueue(r, Call(id, "taxes"), T(60 * i + 1));
    const std::vector<Offer> offers = Offers(r.Dispatch(T(60 * i + 1)));
    ASSERT_EQ(offers.size(), 1u) << "call " << id;
    ++calls_per_operator[offers[0].second];
    Handle(r, id, T(60 * i + 2), 30s);
  }
  EXPECT_EQ(calls_per_operator, (std::map<std::string, int>{{"a", 10}, {"b", 10}, {"c", 10}}));
}

TEST(RouterSkillsTest, R12_NotReadyAndLoggedOutOperatorsGetNoCalls) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}})}));
  ASSERT_TRUE(r.OnOperatorState("a", OperatorState::kNotReady, T(0), "lunch").ok());
  Enqueue(r, Call(1, "taxes"), T(1));
  EXPECT_TRUE(Offers(r.Dispatch(T(1))).empty());
  EXPECT_EQ(r.OperatorStatusOf("a")->reason, "lunch");
  Ready(r, "a", T(30));
  EXPECT_EQ(Offers(r.Dispatch(T(30))), (std::vector<Offer>{{1, "a"}}));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kRinging);
  EXPECT_EQ(r.OperatorStatusOf("a")->call, CallId(1));
}

TEST(RouterSkillsTest, R12_WrapUpEndsByItselfAndTheOperatorTakesTheNextCallThen) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  Enqueue(r, Call(2, "taxes"), T(2));
  Handle(r, 1, T(3), 100s);  // ends at 103; wrap-up until 113
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kWrapUp);
  r.Dispatch(T(112));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kWrapUp);
  // Dispatched late: the decisions still carry the times they were due.
  const std::vector<Decision> d = r.Dispatch(T(130));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOperatorReady);
  EXPECT_EQ(d[0].at, T(113));
  EXPECT_EQ(d[1].kind, DecisionKind::kOffer);
  EXPECT_EQ(d[1].call, 2u);
  EXPECT_EQ(d[1].at, T(113));
  EXPECT_EQ(d[1].waited, Duration(111s));
}

TEST(RouterSkillsTest, R12_StateAskedDuringACallAppliesAfterWrapUp) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  ASSERT_TRUE(r.OnCallAnswered(1, T(2)).ok());
  ASSERT_TRUE(r.OnOperatorState("a", OperatorState::kNotReady, T(3), "training").ok());
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kOnCall);
  ASSERT_TRUE(r.OnCallEnded(1, T(50)).ok());
  Enqueue(r, Call(2, "taxes"), T(51));
  r.Dispatch(T(100));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kNotReady);
  EXPECT_EQ(r.OperatorStatusOf("a")->reason, "training");
  EXPECT_EQ(r.StatusOf(2)->state, CallState::kWaiting);
}

TEST(RouterSkillsTest, R12_ReadyDuringWrapUpEndsItEarly) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  Enqueue(r, Call(2, "taxes"), T(1));
  Handle(r, 1, T(2), 10s);
  Ready(r, "a", T(14));
  EXPECT_EQ(Offers(r.Dispatch(T(14))), (std::vector<Offer>{{1, "a"}, {2, "a"}}));
}

TEST(RouterSkillsTest, WrapUpAskedDuringWrapUpLastsUntilTheOperatorIsReady) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));  // wrap-up 10 s
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  Handle(r, 1, T(2), 10s);  // wrap-up from 12, would end at 22
  r.Dispatch(T(14));        // the first call's offer, handed out
  ASSERT_TRUE(r.OnOperatorState("a", OperatorState::kWrapUp, T(15)).ok());
  Enqueue(r, Call(2, "taxes"), T(16));
  EXPECT_TRUE(Offers(r.Dispatch(T(300))).empty());
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kWrapUp);
  EXPECT_EQ(r.OperatorStatusOf("a")->since, T(12));  // the wallboard counts from the call's end
  Ready(r, "a", T(301));
  EXPECT_EQ(Offers(r.Dispatch(T(301))), (std::vector<Offer>{{2, "a"}}));
  EXPECT_TRUE(r.CheckConsistency().ok());
}

TEST(RouterSkillsTest, WrapUpAskedDuringTheCallHoldsAfterItAndTheNextCallGetsTheTimerAgain) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  ASSERT_TRUE(r.OnCallAnswered(1, T(2)).ok());
  ASSERT_TRUE(r.OnOperatorState("a", OperatorState::kWrapUp, T(3)).ok());
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kOnCall);
  ASSERT_TRUE(r.OnCallEnded(1, T(20)).ok());
  r.Dispatch(T(200));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kWrapUp);
  // Not ready ends the held wrap-up too; the next call's wrap-up ends by itself.
  ASSERT_TRUE(r.OnOperatorState("a", OperatorState::kNotReady, T(201), "lunch").ok());
  Ready(r, "a", T(202));
  Enqueue(r, Call(2, "taxes"), T(203));
  Handle(r, 2, T(204), 10s);  // wrap-up 214..224
  r.Dispatch(T(225));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kReady);
}

TEST(RouterSkillsTest, WrapUpIsOnlyForAfterACall) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  EXPECT_EQ(r.OnOperatorState("a", OperatorState::kWrapUp, T(0)).code(),
            Status::Code::kFailedPrecondition);  // logged out
  Ready(r, "a", T(1));
  EXPECT_EQ(r.OnOperatorState("a", OperatorState::kWrapUp, T(2)).code(),
            Status::Code::kFailedPrecondition);
  Enqueue(r, Call(1, "taxes"), T(3));
  r.Dispatch(T(3));  // ringing
  EXPECT_EQ(r.OnOperatorState("a", OperatorState::kWrapUp, T(4)).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kRinging);
}

TEST(RouterSkillsTest, R12_OperatorEventsAreChecked) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}})}));
  EXPECT_EQ(r.OnOperatorState("nobody", OperatorState::kReady, T(0)).code(), Status::Code::kNotFound);
  EXPECT_EQ(r.OnOperatorState("a", OperatorState::kOnCall, T(0)).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(r.OnCallAnswered(42, T(0)).code(), Status::Code::kNotFound);
  Enqueue(r, Call(1, "taxes"), T(1));
  EXPECT_EQ(r.OnCallAnswered(1, T(2)).code(), Status::Code::kFailedPrecondition);  // not ringing
  EXPECT_EQ(r.OnCallEnded(1, T(2)).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.OnCallEnqueued(Call(1, "taxes"), T(3)).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(r.OnCallEnqueued(Call(2, "cooking"), T(3)).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.OnCallEnqueued(Call(3, "taxes", "77", false, "de"), T(3)).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(r.calls(), 1u);
}

}  // namespace
}  // namespace gosline::routing::test
