#include "core/planning/erlang.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace gosline::planning {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Terms of a distribution below max * e^-40 are left out: they change no
// figure in its sixth decimal, and cutting them keeps large lines cheap.
constexpr double kNegligibleLog = 40.0;

Status CheckLoad(const OfferedLoad& load) {
  auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
  if (bad(load.calls)) return Status::InvalidArgument("calls must be a number >= 0", "calls");
  if (bad(load.interval_seconds) || load.interval_seconds == 0) {
    return Status::InvalidArgument("interval_seconds must be > 0", "interval_seconds");
  }
  if (bad(load.handle_seconds) || load.handle_seconds == 0) {
    return Status::InvalidArgument("handle_seconds must be > 0", "handle_seconds");
  }
  if (load.patience_seconds && (bad(*load.patience_seconds) || *load.patience_seconds == 0)) {
    return Status::InvalidArgument("patience_seconds must be > 0", "patience_seconds");
  }
  return Status::Ok();
}

StaffingFigures ErlangC(const OfferedLoad& load, uint32_t n, double within) {
  const double a = load.Erlangs();
  StaffingFigures f;
  f.operators = n;
  if (a == 0) {  // nobody calls: nobody waits
    f.service_level = 1;
    return f;
  }
  if (static_cast<double>(n) <= a) {
    // Arrivals outpace the operators: the queue grows for ever.
    f.stable = false;
    f.probability_of_waiting = 1;
    f.average_wait_seconds = f.average_answer_seconds = kInfinity;
    f.occupancy = n == 0 ? kInfinity : 1;
    return f;
  }
  const double b = ErlangB(n, a);
  const double c = n * b / (n - a * (1 - b));
  const double spare = n - a;
  f.probability_of_waiting = c;
  f.service_level = 1 - c * std::exp(-spare * within / load.handle_seconds);
  f.average_wait_seconds = f.average_answer_seconds = c * load.handle_seconds / spare;
  f.occupancy = a / n;
  return f;
}

// Erlang A by its birth-death chain: state k = callers in the system.
// Arrival rate lambda; k <= n: k operators busy, departures k*mu; k > n:
// n*mu + (k-n)*gamma, the waiting ones abandoning at gamma each.
// Callers in the system the chain is followed to, at most. A queue this long
// (the load far beyond the operators, with patient callers) answers nothing a
// planner needs, and following it would cost memory and time on the
// caller's request.
constexpr size_t kMaxStates = 2'000'000;

Result<StaffingFigures> ErlangA(const OfferedLoad& load, uint32_t n, double within) {
  const double lambda = load.calls / load.interval_seconds;
  const double mu = 1 / load.handle_seconds;
  const double gamma = 1 / *load.patience_seconds;
  StaffingFigures f;
  f.operators = n;
  if (lambda == 0) {
    f.service_level = 1;
    return f;
  }

  // log p_k, unnormalised, up to where the tail above n no longer matters.
  std::vector<double> logp{0.0};
  double peak = 0;
  for (uint64_t k = 1;; ++k) {
    const double out = k <= n ? k * mu : n * mu + (k - n) * gamma;
    const double next = logp.back() + std::log(lambda / out);
    peak = std::max(peak, next);
    logp.push_back(next);
    // Past n the ratio falls below 1 for good once (k-n)*gamma > lambda.
    if (k > n && out > lambda && next < peak - kNegligibleLog) break;
    if (logp.size() > kMaxStates) {
      return Status::InvalidArgument(
          "the queue this load builds is too long to evaluate (more than " +
              std::to_string(kMaxStates) + " callers): fewer calls, more operators or less patience",
          "calls");
    }
  }
  std::vector<double> p(logp.size());
  double total = 0;
  for (size_t k = 0; k < p.size(); ++k) total += p[k] = std::exp(logp[k] - peak);
  for (double& v : p) v /= total;

  double waiting = 0, queued = 0;  // P(k >= n), E[(k - n)+]
  for (size_t k = n; k < p.size(); ++k) {
    waiting += p[k];
    queued += static_cast<double>(k - n) * p[k];
  }
  double busy = 0;  // E[min(k, n)]: operators busy
  for (size_t k = 0; k < p.size(); ++k) busy += static_cast<double>(std::min<size_t>(k, n)) * p[k];

  f.probability_of_waiting = waiting;
  f.abandon_rate = gamma * queued / lambda;
  f.average_wait_seconds = queued / lambda;
  f.occupancy = n == 0 ? 0 : busy / n;

  // An arrival finding n + i callers waits behind i others (PASTA: arrivals
  // see the time-average state). Position i is left at r_i = n*mu + i*gamma
  // (the head is served or someone ahead leaves); the caller abandons at gamma.
  const size_t positions = p.size() > n ? p.size() - n : 0;
  if (n == 0 || positions == 0) {
    f.service_level = 0;  // nobody answers
    f.average_answer_seconds = 0;
    return f;
  }
  auto rate = [&](size_t i) { return n * mu + static_cast<double>(i) * gamma; };

  // ASA: expected wait of the callers who are answered, by a backward
  // recursion over positions: S_i = P(answered | i), W_i = E[wait; answered | i].
  double answered_after_wait = 0, wait_of_answered = 0;
  double s_prev = 0, w_prev = 0;
  for (size_t i = 0; i < positions; ++i) {
    const double leave = rate(i) + gamma;
    const double advance = rate(i) / leave;
    const double s = i == 0 ? advance : advance * s_prev;
    const double w = i == 0 ? advance / leave : advance * (s_prev / leave + w_prev);
    answered_after_wait += p[n + i] * s;
    wait_of_answered += p[n + i] * w;
    s_prev = s;
    w_prev = w;
  }
  const double answered = (1 - waiting) + answered_after_wait;
  f.average_answer_seconds = answered > 0 ? wait_of_answered / answered : 0;

  // Share answered within the threshold: the position chain run for
  // `within` seconds by uniformisation (a Poisson-weighted sum of steps of the
  // embedded discrete chain at the fastest rate), starting from the arrivals'
  // distribution over positions.
  const double uniform = rate(positions - 1) + gamma;
  const double steps_mean = uniform * within;
  const size_t steps = static_cast<size_t>(steps_mean + 10 * std::sqrt(steps_mean) + 30);
  std::vector<double> at(positions), next(positions);
  for (size_t i = 0; i < positions; ++i) at[i] = p[n + i];
  double served = 0, served_by_t = 0;
  for (size_t step = 0; step <= steps; ++step) {
    // Poisson(steps_mean) weight of `step`; with no time at all only step 0 counts.
    const double weight =
        steps_mean > 0 ? std::exp(-steps_mean + step * std::log(steps_mean) -
                                  std::lgamma(static_cast<double>(step) + 1))
                       : (step == 0 ? 1.0 : 0.0);
    served_by_t += weight * served;
    std::fill(next.begin(), next.end(), 0.0);
    for (size_t i = 0; i < positions; ++i) {
      if (at[i] == 0) continue;
      const double down = rate(i) / uniform;
      const double stay = 1 - (rate(i) + gamma) / uniform;
      if (i == 0) {
        served += at[i] * down;
      } else {
        next[i - 1] += at[i] * down;
      }
      next[i] += at[i] * stay;
    }
    at.swap(next);
  }
  f.service_level = (1 - waiting) + served_by_t;
  return f;
}

}  // namespace

double ErlangB(uint32_t servers, double erlangs) {
  double b = 1;
  for (uint32_t k = 1; k <= servers; ++k) b = erlangs * b / (k + erlangs * b);
  return b;
}

Result<StaffingFigures> Evaluate(const OfferedLoad& load, uint32_t operators,
                                 double within_seconds) {
  GOSLINE_RETURN_IF_ERROR(CheckLoad(load));
  if (!std::isfinite(within_seconds) || within_seconds < 0) {
    return Status::InvalidArgument("within_seconds must be >= 0", "within_seconds");
  }
  return load.patience_seconds ? ErlangA(load, operators, within_seconds)
                               : ErlangC(load, operators, within_seconds);
}

Result<StaffingFigures> OperatorsNeeded(const OfferedLoad& load, const StaffingTarget& target,
                                        uint32_t max_operators) {
  GOSLINE_RETURN_IF_ERROR(CheckLoad(load));
  if (!(target.service_level >= 0 && target.service_level < 1)) {
    return Status::InvalidArgument("service_level must be in [0, 1)", "service_level");
  }
  if (!(target.max_occupancy > 0 && target.max_occupancy <= 1)) {
    return Status::InvalidArgument("max_occupancy must be in (0, 1]", "max_occupancy");
  }
  if (!(target.max_abandon_rate >= 0 && target.max_abandon_rate <= 1)) {
    return Status::InvalidArgument("max_abandon_rate must be in [0, 1]", "max_abandon_rate");
  }
  auto meets = [&](uint32_t n, StaffingFigures& out) -> Result<bool> {
    GOSLINE_ASSIGN_OR_RETURN(out, Evaluate(load, n, target.within_seconds));
    return out.stable && out.service_level >= target.service_level &&
           out.occupancy <= target.max_occupancy && out.abandon_rate <= target.max_abandon_rate;
  };
  // Service level rises and occupancy falls with every operator added, so the
  // answer is the first n where the target holds: a binary search.
  StaffingFigures best;
  GOSLINE_ASSIGN_OR_RETURN(bool enough, meets(max_operators, best));
  if (!enough) {
    return Status::InvalidArgument("more than " + std::to_string(max_operators) +
                              " operators would be needed", "max_operators");
  }
  uint32_t lo = 0, hi = max_operators;  // meets(hi) holds
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    StaffingFigures figures;
    GOSLINE_ASSIGN_OR_RETURN(bool ok, meets(mid, figures));
    if (ok) {
      hi = mid;
      best = figures;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

}  // namespace gosline::planning
