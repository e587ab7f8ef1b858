// Staffing mathematics for capacity planning (R13, R18): how many operators an
// interval needs to answer a target share of calls within a threshold.
//
// Two queueing models, both over Poisson arrivals and exponential handle times:
// - Erlang C (M/M/N): callers wait for ever. The industry's habit, and
//   optimistic when the line is loaded, because in reality some callers hang
//   up and so lighten the queue for the rest.
// - Erlang A (M/M/N+M, Palm's model): callers have exponential patience and
//   abandon; gives the abandonment rate too. Closer to a free hotline, whose
//   callers redial rather than wait.
// Pure functions: no clock, no I/O; everything comes in as arguments.
#pragma once

#include <cstdint>
#include <optional>

#include "core/common/status.h"

namespace gosline::planning {

// What an interval offers: calls arriving in it and their handling.
struct OfferedLoad {
  double calls = 0;                  // arrivals in the interval
  double interval_seconds = 900;     // 15 minutes by default
  double handle_seconds = 180;       // average handle time (talk + hold + wrap-up)
  // Average patience before a caller hangs up while waiting; nullopt: Erlang C.
  std::optional<double> patience_seconds;

  // Offered traffic in erlangs: arrival rate x handle time.
  double Erlangs() const { return calls / interval_seconds * handle_seconds; }
};

struct StaffingTarget {
  double service_level = 0.8;        // share answered within the threshold
  double within_seconds = 30;        // the threshold (R18: 30 s)
  // Upper bound on occupancy (busy share of operators), so a plan does not
  // rely on operators working without a breath; 1 = no bound.
  double max_occupancy = 1.0;
  // Upper bound on the share of callers who hang up waiting (Erlang A only).
  // Without it an overloaded line can "meet" a service level by losing the
  // callers who would have waited longest; 1 = no bound.
  double max_abandon_rate = 1.0;
};

// The figures a number of operators gives for a load.
struct StaffingFigures {
  uint32_t operators = 0;
  double probability_of_waiting = 0;   // share of callers who are not answered at once
  double service_level = 0;            // share of ALL offered calls answered within the threshold
  double average_wait_seconds = 0;     // over all offered calls (Little's law on the queue)
  double average_answer_seconds = 0;   // ASA: average wait of the calls answered
  double abandon_rate = 0;             // share of offered calls that abandon (0 in Erlang C)
  double occupancy = 0;                // carried traffic / operators
  bool stable = true;                  // Erlang C with traffic >= operators: the queue grows without bound
};

// Erlang B blocking probability for `servers` and `erlangs` (the numerically
// stable recursion), the building block of Erlang C.
double ErlangB(uint32_t servers, double erlangs);

// Figures of `operators` for the load, by Erlang C when the load has no
// patience and by Erlang A when it has. InvalidArgument on negative or
// non-finite inputs (field named).
Result<StaffingFigures> Evaluate(const OfferedLoad& load, uint32_t operators,
                                 double within_seconds);

// The fewest operators that meet the target (and the occupancy bound),
// with their figures. InvalidArgument (field max_operators) when more than `max_operators` would be needed.
Result<StaffingFigures> OperatorsNeeded(const OfferedLoad& load, const StaffingTarget& target,
                                        uint32_t max_operators = 100000);

}  // namespace gosline::planning
