// Priority of callers with an open case, and aging (R9).
#include <gtest/gtest.h>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

using Offer = std::pair<CallId, std::string>;

// One operator "a" (no wrap-up) is on call 1 from `start`; each call takes
// `handle`. At each moment the operator frees up, `arrive(t)` first enqueues
// the callers who came by then; the operator then takes the next call.
// Returns the calls served before `target`, at most `max_calls` of them, and
// whether `target` was reached.
struct Served {
  std::vector<CallId> before;
  bool reached = false;
};
template <typename Arrivals>
Served ServeUntil(Router& r, CallId target, Duration handle, int max_calls,
                               Time start, Arrivals arrive) {
  Enqueue(r, Call(1, "taxes"), start);
  Ready(r, "a", start);
  EXPECT_TRUE(r.OnCallAnswered(1, start).ok());
  r.Dispatch(start);
  Served served;
  CallId current = 1;
  Time t = start + handle;
  for (int i = 0; i < max_calls; ++i) {
    arrive(t);
    EXPECT_TRUE(r.OnCallEnded(current, t).ok());
    const std::vector<Offer> offers = Offers(r.Dispatch(t));
    if (offers.size() != 1) {
      ADD_FAILURE() << "expected one offer at step " << i;
      return served;
    }
    if (offers[0].first == target) {
      served.reached = true;
      return served;
    }
    served.before.push_back(offers[0].first);
    current = offers[0].first;
    EXPECT_TRUE(r.OnCallAnswered(current, t).ok());
    t += handle;
  }
  return served;
}

// Open-case callers every 20 s from `first`, enqueued as time passes.
struct PriorityStream {
  Router& r;
  Time next_arrival;
  CallId next_id = 100;
  void operator()(Time t) {
    while (next_arrival <= t) {
      Enqueue(r, Call(next_id++, "taxes", "77", /*open_case=*/true), next_arrival);
      next_arrival += std::chrono::seconds(20);
    }
  }
};

TEST(RouterPriorityTest, R9_OpenCaseCallerMovesAheadByTheWeight) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 0s;
  Router r = MakeRouter(config);
  Enqueue(r, Call(1, "taxes"), T(0));
  Enqueue(r, Call(2, "taxes"), T(30));
  Enqueue(r, Call(3, "taxes", "77", /*open_case=*/true), T(50));   // counts as arrived at -10
  Enqueue(r, Call(4, "taxes", "77", /*open_case=*/true), T(100));  // counts as arrived at 40
  EXPECT_EQ(r.StatusOf(3)->position, 1u);
  EXPECT_EQ(r.StatusOf(1)->position, 2u);
  EXPECT_EQ(r.StatusOf(2)->position, 3u);
  EXPECT_EQ(r.StatusOf(4)->position, 4u);
  std::vector<CallId> order;
  Time t = T(120);
  for (int i = 0; i < 4; ++i) {
    Ready(r, "a", t);
    const std::vector<Offer> offers = Offers(r.Dispatch(t));
    ASSERT_EQ(offers.size(), 1u);
    order.push_back(offers[0].first);
    Handle(r, offers[0].first, t, 10s);
    t += 10s;
  }
  EXPECT_EQ(order, (std::vector<CallId>{3, 1, 2, 4}));
}

TEST(RouterPriorityTest, R9_NoStarvationUnderAStreamOfPriorityCallers) {
  // One operator taking 40 s a call; an open-case caller every 20 s, more
  // than the operator can take. A caller without a case is overtaken only by
  // those who came within the 60 s weight after it.
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 0s;
  Router r = MakeRouter(config);
  PriorityStream stream{r, T(2)};
  auto arrive = [&](Time t) {
    if (t == T(40)) Enqueue(r, Call(2, "taxes"), T(1));  // before the stream's first
    stream(t);
  };
  const Served served = ServeUntil(r, 2, 40s, 50, T(0), arrive);
  EXPECT_TRUE(served.reached);
  EXPECT_EQ(served.before, (std::vector<CallId>{100, 101, 102}));  // arrived at 2, 22, 42 (< 61)
}

TEST(RouterPriorityTest, R9_AgingPromotesALongWaitingCallerPastAnyWeight) {
  // A weight of an hour lets priority callers overtake for an hour;
  // promote_after puts a caller who waited 120 s ahead of all later arrivals.
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 0s;
  config.settings.open_case_weight = 3600s;
  config.settings.promote_after = 120s;
  Router r = MakeRouter(config);
  PriorityStream stream{r, T(2)};
  auto arrive = [&](Time t) {
    if (t == T(40)) Enqueue(r, Call(2, "taxes"), T(1));
    stream(t);
  };
  // Served at 40, 80, 120: priority callers; call 2 is overdue from 121 and
  // goes next at 160, ahead of the priority callers still waiting.
  const Served served = ServeUntil(r, 2, 40s, 50, T(0), arrive);
  EXPECT_TRUE(served.reached);
  EXPECT_EQ(served.before, (std::vector<CallId>{100, 101, 102}));
}

TEST(RouterPriorityTest, R9_WithoutAgingAHugeWeightOvertakesForLong) {
  // The same stream without promote_after: the control for the test above.
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 0s;
  config.settings.open_case_weight = 3600s;
  Router r = MakeRouter(config);
  PriorityStream stream{r, T(2)};
  auto arrive = [&](Time t) {
    if (t == T(40)) Enqueue(r, Call(2, "taxes"), T(1));
    stream(t);
  };
  const Served served = ServeUntil(r, 2, 40s, 10, T(0), arrive);
  EXPECT_FALSE(served.reached);
  EXPECT_EQ(served.before.size(), 10u);
  EXPECT_EQ(r.StatusOf(2)->state, CallState::kWaiting);
}

}  // namespace
}  // namespace gosline::routing::test

namespace gosline::routing::test {
namespace {

// R4, R11: a new routing leader enqueues the calls it takes over at once,
// each with the time it first entered a queue; they keep their places and
// their priority as if the new router had seen them arrive.
TEST(RouterPriorityTest, R9_CallsRoutedAgainKeepTheirPlacesByTheirFirstArrival) {
  RoutingConfig config = Config({Op("a", {{"taxes", 5}})});
  config.settings.wrap_up = 0s;
  Router r = MakeRouter(config);
  auto arrived_at = [](CallArrival c, Time t) {
    c.first_arrived_at = t;
    return c;
  };
  // Taken over at 200 s, in no particular order.
  Enqueue(r, arrived_at(Call(4, "taxes", "77", /*open_case=*/true), T(100)), T(200));
  Enqueue(r, arrived_at(Call(2, "taxes"), T(30)), T(200));
  Enqueue(r, arrived_at(Call(1, "taxes"), T(0)), T(200));
  Enqueue(r, arrived_at(Call(3, "taxes", "77", /*open_case=*/true), T(50)), T(200));
  // A later time than the event's counts as the event's.
  Enqueue(r, arrived_at(Call(5, "taxes"), T(500)), T(200));
  std::vector<CallId> order;
  Time t = T(210);
  for (int i = 0; i < 5; ++i) {
    Ready(r, "a", t);
    const std::vector<Offer> offers = Offers(r.Dispatch(t));
    ASSERT_EQ(offers.size(), 1u);
    order.push_back(offers[0].first);
    Handle(r, offers[0].first, t, 10s);
    t += 10s;
  }
  // As in R9_OpenCaseCallerMovesAheadByTheWeight, where they came one by one.
  EXPECT_EQ(order, (std::vector<CallId>{3, 1, 2, 4, 5}));
}

}  // namespace
}  // namespace gosline::routing::test
