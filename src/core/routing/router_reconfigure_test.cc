// Reconfiguration of a live router (queues, skills and overflow
// edited without a restart): what operators and calls keep, what the new
// configuration changes at once, and what is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

using Offer = std::pair<CallId, std::string>;

void Reconfigure(Router& r, const RoutingConfig& config, Time t, const RoutingTopology& topology = Topology()) {
  const Status s = r.Reconfigure(topology, config, t);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Status consistent = r.CheckConsistency();
  ASSERT_TRUE(consistent.ok()) << consistent.ToString();
}

// What a supervisor sees of every call and operator, to tell that a refused
// change left everything as it was.
std::string Picture(const Router& r, const std::vector<CallId>& calls, const std::vector<std::string>& ops) {
  std::string s;
  for (CallId id : calls) {
    Result<CallStatus> st = r.StatusOf(id);
    if (!st.ok()) {
      s += std::to_string(id) + ":gone ";
      continue;
    }
    s += std::to_string(id) + ":" + std::string(st->queue) + "/" + std::to_string(int(st->state)) + "/" +
         std::to_string(st->position) + "/" + std::string(st->operator_id) + " ";
  }
  for (const std::string& op : ops) {
    Result<OperatorStatus> st = r.OperatorStatusOf(op);
    if (!st.ok()) {
      s += op + ":gone ";
      continue;
    }
    s += op + ":" + OperatorStateName(st->state) + "/" + std::string(st->reason) + "/" +
         std::to_string(ToUnixMillis(st->since)) + " ";
  }
  return s;
}

TEST(RouterReconfigureTest, SkillAddedOperatorTakesTheWaitingCallAtOnce) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"registration", 5}})}));
  Ready(r, "a", T(0));
  ASSERT_TRUE(r.OnOperatorState("b", OperatorState::kNotReady, T(0), "lunch").ok());
  Enqueue(r, Call(1, "registration"), T(10));
  EXPECT_TRUE(Offers(r.Dispatch(T(10))).empty());
  Reconfigure(r, Config({Op("a", {{"taxes", 5}, {"registration", 3}}), Op("b", {{"registration", 5}})}), T(20));
  EXPECT_EQ(Offers(r.Dispatch(T(20))), (std::vector<Offer>{{1, "a"}}));
  EXPECT_EQ(r.StatusOf(1)->operator_id, "a");
  EXPECT_EQ(r.OperatorStatusOf("b")->reason, "lunch");
}

TEST(RouterReconfigureTest, SkillRemovedFromAReadyOperatorStopsOffersOfThatTopic) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}, {"registration", 5}})}));
  Ready(r, "a", T(0));
  Reconfigure(r, Config({Op("a", {{"registration", 5}})}), T(5));
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kReady);
  EXPECT_EQ(r.OperatorStatusOf("a")->since, T(0));
  Enqueue(r, Call(1, "taxes"), T(10));
  EXPECT_TRUE(Offers(r.Dispatch(T(10))).empty());
  EXPECT_EQ(r.StatusOf(1)->state, CallState::kWaiting);
  Enqueue(r, Call(2, "registration"), T(11));
  EXPECT_EQ(Offers(r.Dispatch(T(11))), (std::vector<Offer>{{2, "a"}}));
  EXPECT_TRUE(r.CheckConsistency().ok());
}

TEST(RouterReconfigureTest, OperatorsKeepTheirStateAndTheirPlaceInLine) {
  RoutingConfig config = Config({Op("early", {{"taxes", 5}}), Op("late", {{"taxes", 5}}),
                                 Op("lunch", {{"taxes", 5}}), Op("busy", {{"taxes", 5}})});
  Router r = MakeRouter(config);
  Ready(r, "early", T(0));
  Ready(r, "busy", T(1));
  Ready(r, "late", T(5));
  ASSERT_TRUE(r.OnOperatorState("lunch", OperatorState::kNotReady, T(2), "lunch").ok());
  Enqueue(r, Call(1, "taxes"), T(6));  // to "early", the longest idle
  ASSERT_TRUE(r.OnCallAnswered(1, T(7)).ok());
  Enqueue(r, Call(2, "taxes"), T(8));  // to "busy"
  ASSERT_TRUE(r.OnCallAnswered(2, T(9)).ok());
  ASSERT_TRUE(r.OnCallEnded(1, T(20)).ok());  // "early" in wrap-up until 30
  r.Dispatch(T(20));
  // The same operators, listed in another order, with other levels equal.
  config.operators = {Op("busy", {{"taxes", 5}}), Op("lunch", {{"taxes", 5}}), Op("late", {{"taxes", 5}}),
                      Op("early", {{"taxes", 5}}), Op("newcomer", {{"taxes", 9}})};
  const std::vector<std::string> ops = {"early", "late", "lunch", "busy"};
  const std::string before = Picture(r, {2}, ops);
  Reconfigure(r, config, T(21));
  EXPECT_EQ(Picture(r, {2}, ops), before);
  EXPECT_EQ(r.OperatorStatusOf("newcomer")->state, OperatorState::kLoggedOut);
  EXPECT_EQ(r.OperatorStatusOf("busy")->call, CallId(2));
  Enqueue(r, Call(3, "taxes"), T(22));
  EXPECT_EQ(Offers(r.Dispatch(T(22))), (std::vector<Offer>{{3, "late"}}));
  Enqueue(r, Call(4, "taxes"), T(23));
  // Wrap-up still ends at 30 and the call still ends normally.
  EXPECT_EQ(Offers(r.Dispatch(T(30))), (std::vector<Offer>{{4, "early"}}));
  ASSERT_TRUE(r.OnCallEnded(2, T(31)).ok());
  EXPECT_EQ(r.OperatorStatusOf("busy")->state, OperatorState::kWrapUp);
  EXPECT_TRUE(r.CheckConsistency().ok());
}

TEST(RouterReconfigureTest, WaitingCallsKeepTheirPlaceAndTheirData) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}}), Op("b", {{"registration", 5}})});
  Router r = MakeRouter(config);
  CallArrival first = Call(1, "taxes", "77", /*open_case=*/false);
  first.case_number = "2026-000001";
  first.collected = {{"inn", "7700000000"}};
  Enqueue(r, first, T(0));
  Enqueue(r, Call(2, "taxes", "77", /*open_case=*/true), T(30));  // counts as from -30
  Enqueue(r, Call(3, "taxes"), T(40));
  EXPECT_EQ(r.StatusOf(2)->position, 1u);
  EXPECT_EQ(r.StatusOf(1)->position, 2u);
  // b learns taxes; both are logged out, so nothing is offered yet.
  Reconfigure(r, Config({Op("a", {{"taxes", 5}}), Op("b", {{"registration", 5}, {"taxes", 5}})}), T(50));
  EXPECT_EQ(r.StatusOf(2)->position, 1u);
  EXPECT_EQ(r.StatusOf(1)->position, 2u);
  EXPECT_EQ(r.StatusOf(3)->position, 3u);
  EXPECT_EQ(r.StatusOf(1)->waited, Duration(50s));
  EXPECT_EQ(r.StatusOf(1)->data->case_number, "2026-000001");
  EXPECT_EQ(r.StatusOf(1)->data->collected, first.collected);
  Ready(r, "b", T(60));
  Ready(r, "a", T(61));
  EXPECT_EQ(Offers(r.Dispatch(T(61))), (std::vector<Offer>{{2, "b"}, {1, "a"}}));
}

TEST(RouterReconfigureTest, AnAddedQueueTakesCallsAndShowsItsWait) {
  Router r = MakeRouter(Config({Op("k", {{"pensions", 5}}, "kazan")}));
  RoutingTopology topology = Topology();
  topology.queues.push_back({"kazan-taxes", "taxes", "kazan"});
  EXPECT_EQ(r.EstimatedWait("kazan-taxes", "ru").status().code(), Status::Code::kNotFound);
  Ready(r, "k", T(0));
  Reconfigure(r, Config({Op("k", {{"pensions", 5}, {"taxes", 5}}, "kazan")}), T(10), topology);
  ASSERT_TRUE(r.EstimatedWait("kazan-taxes", "ru").ok());
  EXPECT_EQ(r.EstimatedWait("kazan-taxes", "ru")->operators_ready, 1u);
  CallArrival call = Call(1, "taxes", "16");
  call.queue = "kazan-taxes";
  Enqueue(r, call, T(11));
  EXPECT_EQ(Offers(r.Dispatch(T(11))), (std::vector<Offer>{{1, "k"}}));
  EXPECT_EQ(r.StatusOf(1)->queue, "kazan-taxes");
}

TEST(RouterReconfigureTest, OverflowRulesAreJudgedAgainFromWhenTheCallEnteredTheQueue) {
  RoutingConfig config = Config({Op("t", {{"taxes", 5}}), Op("r", {{"registration", 5}})});
  config.overflow = {{"federal-taxes", {After(300s, ToQueue("federal-registration"))}}};
  Router r = MakeRouter(config);
  Ready(r, "t", T(0));
  Enqueue(r, Call(900, "taxes"), T(0));  // keeps "t" busy (logged in: the queue is staffed)
  ASSERT_TRUE(r.OnCallAnswered(900, T(1)).ok());
  Ready(r, "r", T(2));
  Enqueue(r, Call(1, "taxes"), T(10));
  Enqueue(r, Call(2, "taxes"), T(35));
  r.Dispatch(T(40));
  config.overflow = {{"federal-taxes", {After(20s, ToQueue("federal-registration"))}}};
  Reconfigure(r, config, T(40));
  // Call 1 entered at 10: its 20 s are over, it overflows now and "r" takes it.
  std::vector<Decision> d = r.Dispatch(T(40));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOverflow);
  EXPECT_EQ(d[0].call, 1u);
  EXPECT_EQ(d[0].queue, "federal-registration");
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{1, "r"}}));
  // Call 2 entered at 35: it overflows at 55, not before.
  ASSERT_TRUE(r.OnOfferFailed(1, T(41), "busy").ok());  // "r" not ready; call 1 waits again
  Ready(r, "r", T(42));
  EXPECT_EQ(Offers(r.Dispatch(T(42))), (std::vector<Offer>{{1, "r"}}));
  ASSERT_TRUE(r.OnCallAnswered(1, T(43)).ok());
  ASSERT_TRUE(r.OnCallEnded(1, T(44)).ok());  // "r" ready again at 54
  EXPECT_TRUE(Offers(r.Dispatch(T(54))).empty());
  EXPECT_EQ(Offers(r.Dispatch(T(55))), (std::vector<Offer>{{2, "r"}}));
}

TEST(RouterReconfigureTest, AQueueLengthRuleAddedOverflowsTheCallsWaitingNow) {
  RoutingConfig config = Config({Op("t", {{"taxes", 5}}), Op("r", {{"registration", 5}})});
  Router r = MakeRouter(config);
  ASSERT_TRUE(r.OnOperatorState("t", OperatorState::kNotReady, T(0), "lunch").ok());
  Ready(r, "r", T(0));
  for (CallId id = 1; id <= 3; ++id) Enqueue(r, Call(id, "taxes"), T(double(id)));
  EXPECT_TRUE(r.Dispatch(T(5)).empty());
  config.overflow = {{"federal-taxes", {LengthAbove(1, ToQueue("federal-registration"))}}};
  Reconfigure(r, config, T(6));
  const std::vector<Decision> d = r.Dispatch(T(6));
  EXPECT_EQ(OfKind(d, DecisionKind::kOverflow).size(), 3u);
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{1, "r"}}));  // the earliest caller first
  EXPECT_TRUE(r.CheckConsistency().ok());
}

TEST(RouterReconfigureTest, ARemovedOverflowRuleNoLongerFires) {
  RoutingConfig config = Config({Op("t", {{"taxes", 5}}), Op("r", {{"registration", 5}})});
  config.overflow = {{"federal-taxes", {After(60s, ToQueue("federal-registration"))}}};
  Router r = MakeRouter(config);
  ASSERT_TRUE(r.OnOperatorState("t", OperatorState::kNotReady, T(0), "lunch").ok());
  Ready(r, "r", T(0));
  Enqueue(r, Call(1, "taxes"), T(10));
  config.overflow.clear();
  Reconfigure(r, config, T(20));
  EXPECT_TRUE(r.Dispatch(T(200)).empty());
  EXPECT_EQ(r.StatusOf(1)->state, CallState::kWaiting);
}

TEST(RouterReconfigureTest, RingingAndConnectedCallsKeepTheirOperator) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}})});
  Router r = MakeRouter(config);
  Ready(r, "a", T(0));
  Ready(r, "b", T(1));
  Enqueue(r, Call(1, "taxes"), T(2));  // a, answered
  Enqueue(r, Call(2, "taxes"), T(3));  // b, ringing since 3
  ASSERT_TRUE(r.OnCallAnswered(1, T(4)).ok());
  r.Dispatch(T(4));
  // Neither keeps the skill, and ringing now gives up after 10 s.
  config.operators = {Op("a", {{"registration", 5}}), Op("b", {{"registration", 5}})};
  config.settings.no_answer = 10s;
  Reconfigure(r, config, T(5));
  EXPECT_EQ(r.StatusOf(1)->operator_id, "a");
  EXPECT_EQ(r.StatusOf(2)->operator_id, "b");
  EXPECT_EQ(r.StatusOf(2)->state, CallState::kRinging);
  const std::vector<Decision> d = r.Dispatch(T(13));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOfferFailed);
  EXPECT_EQ(d[0].at, T(13));
  EXPECT_EQ(r.StatusOf(2)->state, CallState::kWaiting);  // nobody has taxes now
  ASSERT_TRUE(r.OnCallEnded(1, T(20)).ok());
  EXPECT_EQ(r.OperatorStatusOf("a")->state, OperatorState::kWrapUp);
  EXPECT_TRUE(r.CheckConsistency().ok());
}

TEST(RouterReconfigureTest, AShorterWrapUpEndsAWrapUpAlreadyPastIt) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 60s;
  Router r = MakeRouter(config);
  Ready(r, "a", T(0));
  Enqueue(r, Call(1, "taxes"), T(0));
  Handle(r, 1, T(1), 9s);  // wrap-up from 10 to 70
  Enqueue(r, Call(2, "taxes"), T(12));
  r.Dispatch(T(12));
  config.settings.wrap_up = 5s;
  Reconfigure(r, config, T(30));
  const std::vector<Decision> d = r.Dispatch(T(30));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOperatorReady);
  EXPECT_EQ(d[0].at, T(15));
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{2, "a"}}));
}

TEST(RouterReconfigureTest, RefusesToStrandLiveWorkAndChangesNothing) {
  RoutingConfig config = Config({Op("ivanova", {{"taxes", 5}}), Op("petrov", {{"registration", 5}}),
                                 Op("sidorov", {{"taxes", 5}})});
  Router r = MakeRouter(config);
  Ready(r, "ivanova", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  ASSERT_TRUE(r.OnCallAnswered(1, T(2)).ok());
  Ready(r, "petrov", T(3));
  Enqueue(r, Call(2, "taxes"), T(4));  // waits: sidorov is logged out
  r.Dispatch(T(4));
  const std::vector<std::string> ops = {"ivanova", "petrov", "sidorov"};
  const std::string before = Picture(r, {1, 2}, ops);

  RoutingConfig without_ivanova = config;
  without_ivanova.operators.erase(without_ivanova.operators.begin());
  Status s = r.Reconfigure(Topology(), without_ivanova, T(5));
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("operator ivanova is on a call; set them logged out first"), std::string::npos)
      << s.message();

  RoutingConfig without_petrov = config;
  without_petrov.operators.erase(without_petrov.operators.begin() + 1);
  s = r.Reconfigure(Topology(), without_petrov, T(5));
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("operator petrov is logged in (ready)"), std::string::npos) << s.message();

  RoutingTopology no_taxes_queue = Topology();
  no_taxes_queue.queues.erase(no_taxes_queue.queues.begin() + 1);  // federal-taxes
  no_taxes_queue.topics.erase(no_taxes_queue.topics.begin() + 1);
  RoutingConfig no_taxes = Config({Op("ivanova", {}), Op("petrov", {{"registration", 5}}), Op("sidorov", {})});
  s = r.Reconfigure(no_taxes_queue, no_taxes, T(5));
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("queue federal-taxes has 2 call(s)"), std::string::npos) << s.message();

  RoutingConfig invalid = config;
  invalid.operators[0].skills["taxes"] = 11;
  EXPECT_EQ(r.Reconfigure(Topology(), invalid, T(5)).code(), Status::Code::kInvalidArgument);
  invalid = config;
  invalid.overflow = {{"nowhere", {After(10s, ToQueue("federal-taxes"))}}};
  EXPECT_EQ(r.Reconfigure(Topology(), invalid, T(5)).code(), Status::Code::kInvalidArgument);

  EXPECT_EQ(Picture(r, {1, 2}, ops), before);
  EXPECT_TRUE(r.CheckConsistency().ok());
  // Still routing under the old configuration.
  ASSERT_TRUE(r.OnCallEnded(1, T(6)).ok());
  EXPECT_EQ(Offers(r.Dispatch(T(16))), (std::vector<Offer>{{2, "ivanova"}}));
}

TEST(RouterReconfigureTest, AnOperatorLoggedOutCanBeRemoved) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}}), Op("gone", {{"taxes", 9}})});
  Router r = MakeRouter(config);
  Ready(r, "gone", T(0));
  ASSERT_TRUE(r.OnOperatorState("gone", OperatorState::kLoggedOut, T(1)).ok());
  Ready(r, "a", T(2));
  Reconfigure(r, Config({Op("a", {{"taxes", 5}})}), T(3));
  EXPECT_EQ(r.OperatorStatusOf("gone").status().code(), Status::Code::kNotFound);
  Enqueue(r, Call(1, "taxes"), T(4));
  EXPECT_EQ(Offers(r.Dispatch(T(4))), (std::vector<Offer>{{1, "a"}}));
}

TEST(RouterReconfigureTest, DecisionsNotYetHandedOutStillNameWhatTheyNamed) {
  RoutingConfig config = Config({Op("t", {{"taxes", 5}}), Op("r", {{"registration", 5}})});
  config.overflow = {{"federal-taxes", {After(0s, ToQueue("federal-registration"))}}};
  RoutingTopology topology = Topology();
  Router r = MakeRouter(config, topology);
  ASSERT_TRUE(r.OnOperatorState("t", OperatorState::kNotReady, T(0), "lunch").ok());
  ASSERT_TRUE(r.OnOperatorState("r", OperatorState::kNotReady, T(0), "lunch").ok());
  Enqueue(r, Call(1, "taxes"), T(1));  // overflows to federal-registration at once
  // federal-registration goes (no call lives there); the pending decision names it.
  topology.queues.erase(topology.queues.begin());
  topology.topics.erase(topology.topics.begin());
  config.operators = {Op("t", {{"taxes", 5}}), Op("r", {{"taxes", 5}})};
  config.overflow.clear();
  Reconfigure(r, config, T(2), topology);
  const std::vector<Decision> d = r.Dispatch(T(2));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOverflow);
  EXPECT_EQ(d[0].queue, "federal-registration");
  EXPECT_EQ(r.StatusOf(1)->queue, "federal-taxes");
}

// Two configurations the random afternoon switches between: other skills,
// other rules, a queue and an operator more.
RoutingConfig Morning() {
  RoutingConfig c = Config({Op("f0", {{"taxes", 5}, {"registration", 2}}), Op("f1", {{"pensions", 5}}),
                            Op("f2", {{"taxes", 3}}, "federal", {"ru", "tt"}),
                            Op("k0", {{"pensions", 7}}, "kazan", {"ru", "tt"})});
  c.overflow = {{"kazan-pensions", {After(30s, ToCentre("federal"))}},
                {"federal-taxes", {LengthAbove(2, ToQueue("federal-registration"))}}};
  c.settings.promote_after = 120s;
  return c;
}

RoutingConfig Afternoon() {
  RoutingConfig c = Config({Op("f0", {{"registration", 6}}), Op("f1", {{"pensions", 5}, {"taxes", 4}}),
                            Op("f2", {{"taxes", 3}, {"pensions", 2}}, "federal", {"ru", "tt"}),
                            Op("k0", {{"pensions", 7}, {"taxes", 5}}, "kazan", {"ru", "tt"}),
                            Op("extra", {{"taxes", 8}})});
  c.overflow = {{"kazan-taxes", {After(10s, ToCentre("federal"))}},
                {"federal-taxes", {WaitAbove(60s, ToQueue("federal-registration"))}}};
  c.settings.wrap_up = 4s;
  c.settings.no_answer = 12s;
  return c;
}

RoutingTopology AfternoonTopology() {
  RoutingTopology t = Topology();
  t.queues.push_back({"kazan-taxes", "taxes", "kazan"});
  return t;
}

// A seeded random afternoon with a reconfiguration every 40 events; returns
// every outcome and decision, checking consistency after each event.
struct Day {
  std::vector<std::string> log;
  int reconfigured = 0;  // changes applied (some are refused: live work)
};

Day RandomDay(uint32_t seed) {
  Router r = MakeRouter(Morning());
  std::mt19937 rng(seed);
  const std::vector<std::string> ops = {"f0", "f1", "f2", "k0", "extra"};
  const std::vector<std::string> topics = {"pensions", "taxes", "registration"};
  const std::vector<std::string> regions = {"16", "54", "77"};
  Day day;
  std::vector<std::string>& log = day.log;
  std::vector<CallId> live;
  CallId next_id = 1;
  bool afternoon = false;
  for (int step = 0; step < 600; ++step) {
    const Time t = T(step * 3);
    Status s;
    const uint32_t roll = rng() % 100;
    if (step % 40 == 39) {
      afternoon = !afternoon;
      s = afternoon ? r.Reconfigure(AfternoonTopology(), Afternoon(), t) : r.Reconfigure(Topology(), Morning(), t);
      day.reconfigured += s.ok();
    } else if (roll < 30) {
      s = r.OnCallEnqueued(Call(next_id, topics[rng() % 3], regions[rng() % 3], rng() % 4 == 0,
                                rng() % 5 == 0 ? "tt" : "ru"),
                           t);
      live.push_back(next_id++);
    } else if (roll < 50) {
      static const OperatorState kStates[] = {OperatorState::kReady, OperatorState::kReady,
                                              OperatorState::kNotReady, OperatorState::kLoggedOut};
      s = r.OnOperatorState(ops[rng() % ops.size()], kStates[rng() % 4], t, "break");
    } else if (!live.empty()) {
      const CallId id = live[rng() % live.size()];
      const std::optional<CallState> state = r.CallStateOf(id);
      if (!state) {
        live.erase(std::find(live.begin(), live.end(), id));
      } else if (*state == CallState::kRinging) {
        s = roll < 80 ? r.OnCallAnswered(id, t) : r.OnOfferFailed(id, t, "busy");
      } else if (*state == CallState::kConnected) {
        s = r.OnCallEnded(id, t);
      } else if (roll < 60) {
        s = r.OnCallAbandoned(id, t).status();
      }
    }
    log.push_back(s.ToString());
    for (const Decision& d : r.Dispatch(t)) log.push_back(ToString(d));
    const Status consistent = r.CheckConsistency();
    EXPECT_TRUE(consistent.ok()) << "step " << step << ": " << consistent.ToString();
    if (!consistent.ok()) break;
  }
  return day;
}

TEST(RouterReconfigureTest, ReplayOfADayWithReconfigurationsGivesTheSameDecisions) {
  const Day first = RandomDay(7);
  const Day second = RandomDay(7);
  EXPECT_EQ(first.log, second.log);
  // The day did route calls and did change configuration both ways.
  EXPECT_GT(std::count_if(first.log.begin(), first.log.end(),
                          [](const std::string& l) { return l.find(" offer call=") != std::string::npos; }),
            30);
  EXPECT_GE(first.reconfigured, 4);
}

}  // namespace
}  // namespace gosline::routing::test
