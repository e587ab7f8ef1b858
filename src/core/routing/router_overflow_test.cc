// Regional routing (R10), overflow and reroutes (R11), estimated wait.
#include <gtest/gtest.h>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

using Offer = std::pair<CallId, std::string>;

// Federal and Kazan pension operators, both logged in.
RoutingConfig PensionCentres() {
  return Config({Op("fed", {{"pensions", 5}}, "federal"), Op("kzn", {{"pensions", 5}}, "kazan")});
}

// Puts `op` on a call of its own (logged in but busy); the decisions so far
// are taken out.
void Busy(Router& r, const std::string& op, CallId call, const std::string& region, Time t) {
  Ready(r, op, t);
  Enqueue(r, Call(call, "pensions", region), t);
  ASSERT_TRUE(r.OnCallAnswered(call, t).ok());
  r.Dispatch(t);
}

TEST(RouterOverflowTest, R10_RegionalTopicGoesToTheCallersRegionalCentreFirst) {
  Router r = MakeRouter(PensionCentres());
  Ready(r, "fed", T(0));  // the federal operator has been idle longer
  Ready(r, "kzn", T(5));
  Enqueue(r, Call(1, "pensions", "16"), T(10));
  EXPECT_EQ(Offers(r.Dispatch(T(10))), (std::vector<Offer>{{1, "kzn"}}));
  EXPECT_EQ(r.StatusOf(1)->queue, "kazan-pensions");
  Enqueue(r, Call(2, "pensions", "77"), T(11));  // Moscow has no centre of its own
  EXPECT_EQ(Offers(r.Dispatch(T(11))), (std::vector<Offer>{{2, "fed"}}));
  EXPECT_EQ(r.StatusOf(2)->queue, "federal-pensions");
}

TEST(RouterOverflowTest, R10_NationalTopicIgnoresTheCallersRegion) {
  Router r = MakeRouter(Config({Op("fed", {{"taxes", 5}})}));
  Ready(r, "fed", T(0));
  Enqueue(r, Call(1, "taxes", "16"), T(1));
  EXPECT_EQ(Offers(r.Dispatch(T(1))), (std::vector<Offer>{{1, "fed"}}));
  EXPECT_EQ(r.StatusOf(1)->queue, "federal-taxes");
}

TEST(RouterOverflowTest, R11_RegionalCallAlsoGoesFederalAfterNSeconds) {
  RoutingConfig config = PensionCentres();
  config.overflow = {{"kazan-pensions", {After(60s, ToCentre("federal"))}}};
  Router r = MakeRouter(config);
  Busy(r, "kzn", 900, "16", T(0));
  Busy(r, "fed", 901, "77", T(0));
  Enqueue(r, Call(1, "pensions", "16"), T(10));
  ASSERT_TRUE(r.OnCallEnded(901, T(30)).ok());  // the federal operator is free from 40
  EXPECT_TRUE(Offers(r.Dispatch(T(69))).empty());  // not offered federally yet
  EXPECT_EQ(r.OperatorStatusOf("fed")->state, OperatorState::kReady);
  const std::vector<Decision> d = r.Dispatch(T(70));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOverflow);
  EXPECT_EQ(d[0].queue, "federal-pensions");
  EXPECT_EQ(d[0].reason, OverflowReason::kAfter);
  EXPECT_EQ(d[1].kind, DecisionKind::kOffer);
  EXPECT_EQ(d[1].operator_id, "fed");
  EXPECT_EQ(d[1].queue, "federal-pensions");
  EXPECT_EQ(d[1].at, T(70));
  EXPECT_EQ(d[1].waited, Duration(60s));
}

TEST(RouterOverflowTest, R11_OverflowedCallStaysOfferedAtHome) {
  RoutingConfig config = PensionCentres();
  config.overflow = {{"kazan-pensions", {After(60s, ToCentre("federal"))}}};
  Router r = MakeRouter(config);
  Busy(r, "kzn", 900, "16", T(0));
  Busy(r, "fed", 901, "77", T(0));
  Enqueue(r, Call(1, "pensions", "16"), T(10));
  r.Dispatch(T(100));  // offered federally too; both operators still busy
  ASSERT_TRUE(r.OnCallEnded(900, T(100)).ok());
  r.Dispatch(T(109));
  const std::vector<Decision> d = r.Dispatch(T(110));  // Kazan's wrap-up ends first
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{1, "kzn"}}));
}

TEST(RouterOverflowTest, R11_OverflowWhenTheEstimatedWaitPassesTheThreshold) {
  RoutingConfig config = Config({Op("tax", {{"taxes", 5}}), Op("reg", {{"registration", 5}})});
  config.overflow = {{"federal-taxes", {WaitAbove(120s, ToQueue("federal-registration"))}}};
  Router r = MakeRouter(config);  // handle time 60 s until measured
  Ready(r, "tax", T(0));
  Enqueue(r, Call(900, "taxes"), T(0));
  ASSERT_TRUE(r.OnCallAnswered(900, T(0)).ok());
  ASSERT_TRUE(r.OnOperatorState("reg", OperatorState::kNotReady, T(0), "meeting").ok());
  Enqueue(r, Call(1, "taxes"), T(1));  // expects 60 s
  Enqueue(r, Call(2, "taxes"), T(2));  // 120 s: not above
  EXPECT_TRUE(OfKind(r.Dispatch(T(2)), DecisionKind::kOverflow).empty());
  EXPECT_EQ(r.EstimatedWait("federal-taxes", "ru")->wait, Duration(180s));
  Enqueue(r, Call(3, "taxes"), T(3));  // 180 s: above; the calls before it go too
  std::vector<CallId> overflowed;
  for (const Decision& d : OfKind(r.Dispatch(T(4)), DecisionKind::kOverflow)) {
    EXPECT_EQ(d.reason, OverflowReason::kWaitAbove);
    overflowed.push_back(d.call);
  }
  EXPECT_EQ(overflowed, (std::vector<CallId>{3, 1, 2}));
  Ready(r, "reg", T(5));
  EXPECT_EQ(Offers(r.Dispatch(T(5))), (std::vector<Offer>{{1, "reg"}}));  // the longest waiting
}

TEST(RouterOverflowTest, R11_OverflowWhenTheQueueIsLongerThanTheLimit) {
  RoutingConfig config = Config({Op("tax", {{"taxes", 5}}), Op("reg", {{"registration", 5}})});
  config.overflow = {{"federal-taxes", {LengthAbove(2, ToQueue("federal-registration"))}}};
  Router r = MakeRouter(config);
  Ready(r, "tax", T(0));
  Enqueue(r, Call(900, "taxes"), T(0));
  ASSERT_TRUE(r.OnCallAnswered(900, T(0)).ok());
  Ready(r, "reg", T(0));
  r.Dispatch(T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  Enqueue(r, Call(2, "taxes"), T(2));
  EXPECT_TRUE(Offers(r.Dispatch(T(2))).empty());  // two waiting: not longer than 2
  Enqueue(r, Call(3, "taxes"), T(3));
  const std::vector<Decision> d = r.Dispatch(T(3));
  // The third call overflows as it joins and takes the free operator at once.
  ASSERT_FALSE(OfKind(d, DecisionKind::kOverflow).empty());
  EXPECT_EQ(OfKind(d, DecisionKind::kOverflow)[0].reason, OverflowReason::kLengthAbove);
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{3, "reg"}}));
}

TEST(RouterOverflowTest, R11_CentreWithNobodyLoggedInReroutesAtOnce) {
  Router r = MakeRouter(PensionCentres());  // nobody in Kazan logs in
  Ready(r, "fed", T(0));
  Enqueue(r, Call(1, "pensions", "16"), T(5));
  const std::vector<Decision> d = r.Dispatch(T(5));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOverflow);
  EXPECT_EQ(d[0].reason, OverflowReason::kUnstaffed);
  EXPECT_EQ(d[0].queue, "federal-pensions");
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{1, "fed"}}));
  EXPECT_EQ(d[1].at, T(5));
}

TEST(RouterOverflowTest, R11_LastOperatorLeavingReroutesTheWaitingCalls) {
  Router r = MakeRouter(PensionCentres());
  ASSERT_TRUE(r.OnOperatorState("kzn", OperatorState::kNotReady, T(0), "lunch").ok());
  Busy(r, "fed", 900, "77", T(0));
  Enqueue(r, Call(1, "pensions", "16"), T(1));
  Enqueue(r, Call(2, "pensions", "16"), T(2));
  // Someone is logged in in Kazan (on a break): the calls wait there.
  EXPECT_TRUE(OfKind(r.Dispatch(T(2)), DecisionKind::kOverflow).empty());
  ASSERT_TRUE(r.OnOperatorState("kzn", OperatorState::kLoggedOut, T(3)).ok());
  const std::vector<Decision> d = OfKind(r.Dispatch(T(3)), DecisionKind::kOverflow);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].call, 1u);
  EXPECT_EQ(d[0].reason, OverflowReason::kUnstaffed);
  EXPECT_EQ(d[1].call, 2u);
  ASSERT_TRUE(r.OnCallEnded(900, T(10)).ok());
  EXPECT_EQ(Offers(r.Dispatch(T(20))), (std::vector<Offer>{{1, "fed"}}));
}

TEST(RouterOverflowTest, R11_LanguageNobodySpeaksAtTheCentreReroutes) {
  RoutingConfig config = Config({Op("kzn", {{"pensions", 5}}, "kazan", {"ru"}),
                                 Op("fed_tt", {{"pensions", 5}}, "federal", {"ru", "tt"})});
  Router r = MakeRouter(config);
  Ready(r, "kzn", T(0));
  Ready(r, "fed_tt", T(0));
  Enqueue(r, Call(1, "pensions", "16", false, "tt"), T(1));
  EXPECT_EQ(Offers(r.Dispatch(T(1))), (std::vector<Offer>{{1, "fed_tt"}}));
}

TEST(RouterOverflowTest, R11_NoCallIsLeftWithoutARouteWhenNobodyIsThere) {
  Router r = MakeRouter(PensionCentres());
  Enqueue(r, Call(1, "pensions", "16"), T(0));
  Result<Estimate> e = r.EstimatedWait("kazan-pensions", "ru");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->wait, std::nullopt);  // nobody to estimate from
  EXPECT_EQ(e->calls_waiting, 1u);
  EXPECT_EQ(r.StatusOf(1)->state, CallState::kWaiting);
  EXPECT_EQ(r.StatusOf(1)->position, 1u);
  // Offered everywhere its topic is taken; whoever comes first takes it.
  Ready(r, "fed", T(300));
  EXPECT_EQ(Offers(r.Dispatch(T(300))), (std::vector<Offer>{{1, "fed"}}));
}

TEST(RouterOverflowTest, R11_OverflowToARegionsCentre) {
  RoutingConfig config = Config({Op("nsk", {{"pensions", 5}}, "novosibirsk"), Op("kzn", {{"pensions", 5}}, "kazan")});
  config.overflow = {{"kazan-pensions", {After(30s, ToRegion("54"))}}};
  Router r = MakeRouter(config);
  Busy(r, "kzn", 900, "16", T(0));
  Ready(r, "nsk", T(0));
  Enqueue(r, Call(1, "pensions", "16"), T(0));
  EXPECT_TRUE(Offers(r.Dispatch(T(29))).empty());
  EXPECT_EQ(Offers(r.Dispatch(T(30))), (std::vector<Offer>{{1, "nsk"}}));
}

TEST(RouterOverflowTest, R10_RegionSpecialistsTakeOnlyTheirRegionsCallers) {
  RoutingConfig config = Config({Op("primorye", {{"pensions", 9}}, "federal", {"ru"}, {"25"}),
                                 Op("general", {{"pensions", 3}}, "federal")});
  Router r = MakeRouter(config);
  Ready(r, "primorye", T(0));
  Enqueue(r, Call(1, "pensions", "77"), T(1));
  EXPECT_TRUE(Offers(r.Dispatch(T(1))).empty());
  Enqueue(r, Call(2, "pensions", "25"), T(2));
  EXPECT_EQ(Offers(r.Dispatch(T(2))), (std::vector<Offer>{{2, "primorye"}}));
  Ready(r, "general", T(3));
  EXPECT_EQ(Offers(r.Dispatch(T(3))), (std::vector<Offer>{{1, "general"}}));
}

TEST(RouterOverflowTest, R11_EstimatedWaitAndPositionFollowTheQueue) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}})}));
  Ready(r, "a", T(0));
  Ready(r, "b", T(0));
  EXPECT_EQ(r.EstimatedWait("federal-taxes", "ru")->wait, Duration(0));
  EXPECT_EQ(r.EstimatedWait("federal-taxes", "ru")->operators_ready, 2u);
  for (CallId id = 1; id <= 5; ++id) Enqueue(r, Call(id, "taxes"), T(id));
  ASSERT_TRUE(r.OnCallAnswered(1, T(10)).ok());
  ASSERT_TRUE(r.OnCallAnswered(2, T(10)).ok());
  // Two working, none free, 60 s a call: one finishes every 30 s.
  EXPECT_EQ(r.StatusOf(3)->position, 1u);
  EXPECT_EQ(r.StatusOf(3)->estimated_wait, Duration(30s));
  EXPECT_EQ(r.StatusOf(5)->position, 3u);
  EXPECT_EQ(r.StatusOf(5)->estimated_wait, Duration(90s));
  Estimate e = *r.EstimatedWait("federal-taxes", "ru");
  EXPECT_EQ(e.calls_waiting, 3u);
  EXPECT_EQ(e.wait, Duration(120s));
  EXPECT_EQ(e.operators_logged_in, 2u);
  EXPECT_EQ(e.recent_answered_wait, Duration(8900ms));  // 9 s then 8 s, moving average
  // Handle times are measured: 200 s talk + 10 s wrap-up.
  ASSERT_TRUE(r.OnCallEnded(1, T(210)).ok());
  EXPECT_EQ(r.StatusOf(3)->state, CallState::kWaiting);
  EXPECT_EQ(r.EstimatedWait("federal-taxes", "ru")->wait, Duration(210s * 4 / 2));
  EXPECT_EQ(r.EstimatedWait("federal-taxes", "ru")->operators_ready, 0u);
  EXPECT_FALSE(r.EstimatedWait("nope", "ru").ok());
}

}  // namespace
}  // namespace gosline::routing::test
