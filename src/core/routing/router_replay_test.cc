// Determinism: the same event log gives the same decisions (replay of a day's
// log reproduces every routing decision, for audits and for debugging).
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

struct Event {
  enum class Kind { kState, kEnqueue, kAnswer, kFail, kAbandon, kEnd, kTransfer, kTick };
  Kind kind = Kind::kTick;
  Time at;
  std::string op;
  OperatorState state = OperatorState::kReady;
  CallArrival call;
  CallId id = 0;
  std::string queue;
};

// Applies one event, then dispatches; appends the outcome and decisions to `log`.
void Apply(Router& r, const Event& e, std::vector<std::string>& log) {
  Status s;
  switch (e.kind) {
    case Event::Kind::kState: s = r.OnOperatorState(e.op, e.state, e.at, "break"); break;
    case Event::Kind::kEnqueue: s = r.OnCallEnqueued(e.call, e.at); break;
    case Event::Kind::kAnswer: s = r.OnCallAnswered(e.id, e.at); break;
    case Event::Kind::kFail: s = r.OnOfferFailed(e.id, e.at, "busy"); break;
    case Event::Kind::kAbandon: s = r.OnCallAbandoned(e.id, e.at).status(); break;
    case Event::Kind::kEnd: s = r.OnCallEnded(e.id, e.at); break;
    case Event::Kind::kTransfer: s = r.TransferToQueue(e.id, e.queue, e.at); break;
    case Event::Kind::kTick: r.OnTick(e.at); break;
  }
  log.push_back(s.ToString());
  for (const Decision& d : r.Dispatch(e.at)) log.push_back(ToString(d));
}

RoutingConfig BusyCentre() {
  std::vector<OperatorProfile> ops;
  for (int i = 0; i < 6; ++i) {
    ops.push_back(Op("f" + std::to_string(i), {{"pensions", 1 + i}, {"taxes", 6 - i}}, "federal",
                     i % 3 == 0 ? std::vector<std::string>{"ru", "tt"} : std::vector<std::string>{"ru"}));
  }
  ops.push_back(Op("r0", {{"registration", 5}, {"taxes", 2}}));
  ops.push_back(Op("k0", {{"pensions", 8}}, "kazan", {"ru", "tt"}));
  ops.push_back(Op("k1", {{"pensions", 4}}, "kazan"));
  ops.push_back(Op("n0", {{"pensions", 5}}, "novosibirsk"));
  ops.push_back(Op("p25", {{"pensions", 9}}, "federal", {"ru"}, {"25"}));
  RoutingConfig config = Config(ops);
  config.settings.promote_after = 180s;
  config.overflow = {{"kazan-pensions", {After(30s, ToCentre("federal"))}},
                     {"novosibirsk-pensions", {After(45s, ToRegion("16")), LengthAbove(3, ToCentre("federal"))}},
                     {"federal-taxes", {WaitAbove(90s, ToQueue("federal-registration"))}}};
  return config;
}

// A random but seeded afternoon: arrivals, answers and no-answers, ends,
// transfers, abandons, breaks. Events react to the router's state, and are
// recorded for the replay.
std::vector<Event> Simulate(Router& r, uint32_t seed, int steps, std::vector<std::string>& log) {
  std::mt19937 rng(seed);
  auto chance = [&rng](int percent) { return int(rng() % 100) < percent; };
  const std::vector<std::string> ops = {"f0", "f1", "f2", "f3", "f4", "f5", "r0", "k0", "k1", "n0", "p25"};
  const std::vector<std::string> topics = {"pensions", "taxes", "registration"};
  const std::vector<std::string> regions = {"16", "54", "77", "25", "50"};
  std::vector<Event> events;
  auto record = [&](Event e) {
    Apply(r, e, log);
    events.push_back(std::move(e));
  };
  Time t = T(0);
  for (const std::string& op : ops) record(Event{Event::Kind::kState, t, op, OperatorState::kReady, {}, 0, {}});
  CallId next_id = 1;
  std::vector<CallId> live;
  for (int step = 0; step < steps; ++step) {
    if (step % 5 == 0) {
      const Status consistent = r.CheckConsistency();
      EXPECT_TRUE(consistent.ok()) << "step " << step << ": " << consistent.ToString();
      if (!consistent.ok()) return events;
    }
    t += Duration(int64_t(rng() % 4000));
    if (chance(20)) {
      CallArrival c = Call(next_id++, topics[rng() % topics.size()], regions[rng() % regions.size()],
                           chance(20), chance(10) ? "tt" : "ru");
      live.push_back(c.id);
      record(Event{Event::Kind::kEnqueue, t, {}, {}, std::move(c), 0, {}});
      continue;
    }
    if (chance(6)) {
      static const OperatorState kStates[] = {OperatorState::kReady, OperatorState::kReady,
                                              OperatorState::kReady, OperatorState::kNotReady,
                                              OperatorState::kLoggedOut};
      record(Event{Event::Kind::kState, t, ops[rng() % ops.size()], kStates[rng() % 5], {}, 0, {}});
      continue;
    }
    // A call in a state, from the front of the live list (the longest there).
    auto find = [&](CallState state) -> std::optional<CallId> {
      for (size_t k = 0; k < live.size();) {
        Result<CallStatus> status = r.StatusOf(live[k]);
        if (!status.ok()) {
          live.erase(live.begin() + long(k));
          continue;
        }
        if (status->state == state) return live[k];
        ++k;
      }
      return std::nullopt;
    };
    Event e{Event::Kind::kTick, t, {}, {}, {}, 0, {}};
    if (auto ringing = chance(70) ? find(CallState::kRinging) : std::nullopt) {
      e.id = *ringing;
      e.kind = chance(85) ? Event::Kind::kAnswer : chance(50) ? Event::Kind::kFail : Event::Kind::kTick;
    } else if (auto connected = chance(70) ? find(CallState::kConnected) : std::nullopt) {
      e.id = *connected;
      e.kind = chance(15) ? Event::Kind::kTransfer : Event::Kind::kEnd;
      e.queue = chance(50) ? "federal-taxes" : "federal-registration";
    } else if (auto waiting = chance(10) ? find(CallState::kWaiting) : std::nullopt) {
      e.id = *waiting;
      e.kind = Event::Kind::kAbandon;
    }
    record(std::move(e));
  }
  return events;
}

TEST(RouterReplayTest, R12_SameEventLogGivesTheSameDecisions) {
  const RoutingConfig config = BusyCentre();
  std::vector<std::string> first;
  std::vector<Event> events;
  {
    Router r = MakeRouter(config);
    events = Simulate(r, /*seed=*/20260101, /*steps=*/4000, first);
  }
  std::vector<std::string> second;
  {
    Router r = MakeRouter(config);
    for (const Event& e : events) Apply(r, e, second);
  }
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i], second[i]) << "line " << i;

  // The log exercised what it should, or the comparison proves little.
  std::map<std::string, int> kinds;
  for (const std::string& line : first) {
    for (const char* k : {" offer ", " offer_failed ", " offer_withdrawn ", " overflow ", " operator_ready "}) {
      if (line.find(k) != std::string::npos) ++kinds[k];
    }
    if (line.find("reason=unstaffed") != std::string::npos) ++kinds["unstaffed"];
    if (line.find("reason=length_above") != std::string::npos) ++kinds["length_above"];
    if (line.find("reason=after") != std::string::npos) ++kinds["after"];
  }
  EXPECT_GT(kinds[" offer "], 300);
  for (const char* k : {" offer_failed ", " offer_withdrawn ", " overflow ", " operator_ready ", "unstaffed",
                        "length_above", "after"}) {
    EXPECT_GT(kinds[k], 0) << k;
  }
}

TEST(RouterReplayTest, R12_EventsOutOfTimeOrderCountAsTheLatestTime) {
  Router r = MakeRouter(Config({Op("a", {{"taxes", 5}}), Op("b", {{"taxes", 5}})}));
  Ready(r, "a", T(10));
  Ready(r, "b", T(5));  // late report: counts as 10, after "a"
  Enqueue(r, Call(1, "taxes"), T(11));
  const std::vector<Decision> d = r.Dispatch(T(11));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].operator_id, "a");
  EXPECT_EQ(r.OperatorStatusOf("b")->since, T(10));
}

}  // namespace
}  // namespace gosline::routing::test
