// A small contact centre for the routing tests, on a simulated clock.
//   centres   federal, kazan (region 16), novosibirsk (region 54); 77 and 25 have none
//   topics    registration, taxes (national); pensions (regional)
//   queues    federal-registration, federal-taxes, federal-pensions,
//             kazan-pensions, novosibirsk-pensions
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/routing/router.h"

namespace gosline::routing::test {

using namespace std::chrono_literals;

// Seconds since a fixed start (2026-01-01 00:00 UTC).
inline Time T(double seconds) {
  return FromUnixMillis(1'767'225'600'000 + int64_t(seconds * 1000));
}

inline RoutingTopology Topology() {
  RoutingTopology t;
  t.languages = {"ru", "en", "tt"};
  t.topics = {{"registration", false}, {"taxes", false}, {"pensions", true}};
  t.centres = {"federal", "kazan", "novosibirsk"};
  t.queues = {{"federal-registration", "registration", "federal"},
              {"federal-taxes", "taxes", "federal"},
              {"federal-pensions", "pensions", "federal"},
              {"kazan-pensions", "pensions", "kazan"},
              {"novosibirsk-pensions", "pensions", "novosibirsk"}};
  t.region_centres = {{"16", "kazan"}, {"54", "novosibirsk"}, {"77", ""}, {"25", ""}};
  return t;
}

inline OperatorProfile Op(std::string id, std::map<std::string, int> skills,
                          std::string centre = "federal", std::vector<std::string> languages = {"ru"},
                          std::vector<std::string> regions = {}) {
  return OperatorProfile{id, id, std::move(skills), std::move(languages), std::move(regions),
                         std::move(centre)};
}

inline CallArrival Call(CallId id, std::string topic, std::string region = "77",
                        bool open_case = false, std::string language = "ru") {
  CallArrival c;
  c.id = id;
  c.topic = std::move(topic);
  c.caller_region = std::move(region);
  c.has_open_case = open_case;
  c.language = std::move(language);
  return c;
}

inline OverflowTarget ToQueue(std::string id) { return {OverflowTarget::Kind::kQueue, std::move(id)}; }
inline OverflowTarget ToCentre(std::string id) { return {OverflowTarget::Kind::kCentre, std::move(id)}; }
inline OverflowTarget ToRegion(std::string code) { return {OverflowTarget::Kind::kRegion, std::move(code)}; }

inline OverflowRule After(Duration d, OverflowTarget to) { return {d, {}, {}, std::move(to)}; }
inline OverflowRule WaitAbove(Duration d, OverflowTarget to) { return {{}, d, {}, std::move(to)}; }
inline OverflowRule LengthAbove(size_t n, OverflowTarget to) { return {{}, {}, n, std::move(to)}; }

inline RoutingConfig Config(std::vector<OperatorProfile> operators) {
  RoutingConfig c;
  c.operators = std::move(operators);
  c.settings.wrap_up = 10s;
  c.settings.no_answer = 20s;
  c.settings.open_case_weight = 60s;
  c.settings.default_handle_time = 60s;
  return c;
}

inline Router MakeRouter(const RoutingConfig& config, const RoutingTopology& topology = Topology()) {
  Result<Router> r = Router::Create(topology, config);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    std::abort();  // a test set-up mistake: nothing below could mean anything
  }
  return std::move(r).value();
}

// The offers among `decisions`, as (call, operator).
inline std::vector<std::pair<CallId, std::string>> Offers(const std::vector<Decision>& decisions) {
  std::vector<std::pair<CallId, std::string>> out;
  for (const Decision& d : decisions) {
    if (d.kind == DecisionKind::kOffer) out.emplace_back(d.call, std::string(d.operator_id));
  }
  return out;
}

inline std::vector<Decision> OfKind(const std::vector<Decision>& decisions, DecisionKind kind) {
  std::vector<Decision> out;
  for (const Decision& d : decisions) {
    if (d.kind == kind) out.push_back(d);
  }
  return out;
}

inline void Ready(Router& r, const std::string& op, Time t) {
  ASSERT_TRUE(r.OnOperatorState(op, OperatorState::kReady, t).ok()) << op;
}

inline void Enqueue(Router& r, CallArrival call, Time t) {
  const CallId id = call.id;
  ASSERT_TRUE(r.OnCallEnqueued(std::move(call), t).ok()) << "call " << id;
}

// Answers the call, talks for `talk`, hangs up; the operator goes to wrap-up.
inline void Handle(Router& r, CallId call, Time answered, Duration talk) {
  ASSERT_TRUE(r.OnCallAnswered(call, answered).ok()) << "call " << call;
  ASSERT_TRUE(r.OnCallEnded(call, answered + talk).ok()) << "call " << call;
}

}  // namespace gosline::routing::test
