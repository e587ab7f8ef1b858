// Replays a day (or any span) of calls through the real routing core
// (core/routing/router.h) with a roster, to see what service level, answer
// speed, abandonment and occupancy a roster gives, per interval (R13, R18).
// Where Erlang formulas assume one skill and identical operators, this runs
// the router's actual skills, regions, priorities and overflow rules.
//
// Pure and deterministic: calls, shifts and times are inputs; the only
// randomness is in GenerateCalls, from an explicit seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/routing/routing_config.h"

namespace gosline::planning {

// One caller as the simulation sees them: when they ring, what about, how
// long the conversation would take and how long they would wait at most.
struct SimulatedCall {
  Time arrival{};
  std::string topic;
  std::string language = "ru";
  std::string region;             // federal subject; may be empty
  bool has_open_case = false;     // R9 priority
  Duration handle{0};             // talk once answered
  Duration patience{0};           // waiting longer than this, they hang up
};

struct Shift {
  std::string operator_id;        // must be in the routing config's operators
  Time start{};
  Time end{};                     // logged out then (after a call in progress ends)
};

struct SimulationInput {
  routing::RoutingTopology topology;
  routing::RoutingConfig config;  // operators, skills, wrap-up, overflow rules
  std::vector<Shift> shifts;
  std::vector<SimulatedCall> calls;     // any order
  Duration answer_delay{std::chrono::seconds(2)};  // ringing before the operator picks up
  Duration interval{std::chrono::minutes(15)};     // reporting interval
  Duration service_level_threshold{std::chrono::seconds(30)};
  // Timers of the router (wrap-up ends, overflow) are run at least this often.
  Duration tick{std::chrono::milliseconds(250)};
};

// Figures of the calls that arrived in an interval, and of the operators'
// time spent in it.
struct IntervalFigures {
  Time start{};
  uint64_t offered = 0;
  uint64_t answered = 0;
  uint64_t abandoned = 0;
  uint64_t answered_in_service_level = 0;
  double answer_wait_seconds = 0;   // summed over answered calls
  double staffed_seconds = 0;       // operators logged in (shift time)
  double busy_seconds = 0;          // operators talking or in wrap-up

  // Share of offered calls answered within the threshold (abandoned count
  // against it); nullopt without calls.
  std::optional<double> ServiceLevel() const;
  std::optional<double> AbandonRate() const;
  std::optional<double> AverageAnswerSeconds() const;  // ASA
  std::optional<double> Occupancy() const;
};

struct SimulationReport {
  std::vector<IntervalFigures> intervals;  // from the first arrival's or shift's interval
  IntervalFigures total;
  // The callers with an open case (R9 priority) apart, over the whole run:
  // shows what their priority costs the others.
  IntervalFigures open_cases;
  uint64_t unanswered_at_end = 0;          // still waiting when the input ran out
};

// InvalidArgument for a call whose topic or a shift whose operator the
// configuration does not know, or an inconsistent configuration.
Result<SimulationReport> SimulateDay(const SimulationInput& input);

// Calls of a forecast: `calls_per_interval[i]` expected arrivals in interval
// i from `start` (Poisson arrivals), exponential handle times and patience
// around the given means. Deterministic for a seed.
struct CallProfile {
  std::string topic;
  std::string language = "ru";
  std::string region;
  double handle_seconds = 180;
  double patience_seconds = 120;
  double open_case_share = 0;      // share of callers with an open case
};
std::vector<SimulatedCall> GenerateCalls(Time start, Duration interval,
                                         const std::vector<double>& calls_per_interval,
                                         const CallProfile& profile, uint64_t seed);

}  // namespace gosline::planning
