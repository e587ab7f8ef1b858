#include "core/planning/erlang.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace gosline::planning {
namespace {

// The textbook example (100 calls in 30 minutes, 180 s handle time, 10
// erlangs): 14 operators answer 88.4% within 20 s, ASA 7.8 s, 17.4% wait.
OfferedLoad Textbook() {
  return {.calls = 100, .interval_seconds = 1800, .handle_seconds = 180};
}

TEST(ErlangTest, ErlangBMatchesItsDefinitionForSmallCases) {
  // B(1, A) = A / (1 + A); B(2, A) = (A^2/2) / (1 + A + A^2/2).
  EXPECT_NEAR(ErlangB(1, 2.0), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(ErlangB(2, 2.0), 2.0 / 5.0, 1e-12);
  EXPECT_DOUBLE_EQ(ErlangB(0, 5.0), 1.0);
}

TEST(ErlangTest, ErlangCGivesTheTextbookFigures) {
  auto f = Evaluate(Textbook(), 14, 20);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_NEAR(f->probability_of_waiting, 0.1741, 1e-4);
  EXPECT_NEAR(f->service_level, 0.8884, 1e-4);
  EXPECT_NEAR(f->average_answer_seconds, 7.836, 1e-3);
  EXPECT_NEAR(f->occupancy, 10.0 / 14.0, 1e-12);
  EXPECT_EQ(f->abandon_rate, 0);
  EXPECT_TRUE(f->stable);
}

TEST(ErlangTest, ErlangCIsUnstableWhenTrafficReachesTheOperators) {
  auto f = Evaluate(Textbook(), 10, 20);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->stable);
  EXPECT_EQ(f->service_level, 0);
}

TEST(ErlangTest, OperatorsNeededIsTheFirstCountMeetingTheTarget) {
  // 13 operators give 79.6% within 20 s, 14 give 88.8%.
  auto f = OperatorsNeeded(Textbook(), {.service_level = 0.8, .within_seconds = 20});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->operators, 14u);
  auto relaxed = OperatorsNeeded(Textbook(), {.service_level = 0.79, .within_seconds = 20});
  ASSERT_TRUE(relaxed.ok());
  EXPECT_EQ(relaxed->operators, 13u);
  // An occupancy bound of 70% needs 15 (10/15 = 0.67).
  auto rested = OperatorsNeeded(Textbook(),
                                {.service_level = 0.8, .within_seconds = 20, .max_occupancy = 0.7});
  ASSERT_TRUE(rested.ok());
  EXPECT_EQ(rested->operators, 15u);
}

TEST(ErlangTest, NoCallsNeedNoOperators) {
  auto f = OperatorsNeeded({.calls = 0}, {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->operators, 0u);
}

TEST(ErlangTest, TooManyOperatorsIsRefused) {
  auto f = OperatorsNeeded({.calls = 1'000'000, .interval_seconds = 900, .handle_seconds = 300},
                           {}, 100);
  EXPECT_EQ(f.status().field(), "max_operators");
}

TEST(ErlangTest, AQueueTooLongToFollowIsRefusedNotComputed) {
  // A billion calls an hour to one operator, callers who wait for ever.
  auto f = Evaluate({.calls = 1e9, .interval_seconds = 3600, .handle_seconds = 180,
                     .patience_seconds = 1e9},
                    1, 30);
  EXPECT_EQ(f.status().field(), "calls");
}

TEST(ErlangTest, BadInputsNameTheirField) {
  EXPECT_EQ(Evaluate({.calls = -1}, 1, 20).status().field(), "calls");
  EXPECT_EQ(Evaluate({.calls = 1, .handle_seconds = 0}, 1, 20).status().field(), "handle_seconds");
  EXPECT_EQ(Evaluate({.calls = 1, .patience_seconds = 0.0}, 1, 20).status().field(),
            "patience_seconds");
  EXPECT_EQ(OperatorsNeeded(Textbook(), {.service_level = 1.0}).status().field(), "service_level");
}

TEST(ErlangTest, ErlangAWithEndlessPatienceIsErlangC) {
  OfferedLoad patient = Textbook();
  patient.patience_seconds = 1e9;
  auto a = Evaluate(patient, 14, 20);
  auto c = Evaluate(Textbook(), 14, 20);
  ASSERT_TRUE(a.ok() && c.ok());
  EXPECT_NEAR(a->probability_of_waiting, c->probability_of_waiting, 1e-5);
  EXPECT_NEAR(a->service_level, c->service_level, 1e-4);
  EXPECT_NEAR(a->average_answer_seconds, c->average_answer_seconds, 1e-2);
  EXPECT_LT(a->abandon_rate, 1e-6);
}

TEST(ErlangTest, ErlangAStaysFiniteWhereErlangCDiverges) {
  // As many operators as erlangs: Erlang C has no answer, callers who hang
  // up keep the queue finite.
  OfferedLoad load = Textbook();
  load.patience_seconds = 120;
  auto f = Evaluate(load, 10, 20);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->stable);
  EXPECT_GT(f->abandon_rate, 0.01);
  EXPECT_LT(f->abandon_rate, 0.5);
  EXPECT_GT(f->service_level, 0.3);
  EXPECT_LT(f->occupancy, 1.0);
}

// An independent check of Erlang A: a first-come-first-served simulation of
// the same model. With FCFS, caller i's start of service depends only on
// earlier callers, so each arrival takes the earliest free operator if it
// comes before its patience runs out, else it abandons without using one.
struct Simulated {
  double waited = 0, answered_within = 0, abandoned = 0, answer_wait = 0;
};
Simulated Simulate(double lambda, double handle, double patience, uint32_t n, double within,
                   size_t calls) {
  std::mt19937_64 rng(20261207);
  std::exponential_distribution<double> gap(lambda), service(1 / handle), wait_limit(1 / patience);
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (uint32_t i = 0; i < n; ++i) free_at.push(0);
  double now = 0;
  Simulated s;
  size_t answered = 0;
  for (size_t i = 0; i < calls; ++i) {
    now += gap(rng);
    const double start = std::max(now, free_at.top());
    const double wait = start - now;
    if (wait > 0) s.waited += 1;
    if (wait > wait_limit(rng)) {
      s.abandoned += 1;
      continue;
    }
    free_at.pop();
    free_at.push(start + service(rng));
    ++answered;
    s.answer_wait += wait;
    if (wait <= within) s.answered_within += 1;
  }
  s.answer_wait /= static_cast<double>(answered);
  s.waited /= static_cast<double>(calls);
  s.abandoned /= static_cast<double>(calls);
  s.answered_within /= static_cast<double>(calls);
  return s;
}

TEST(ErlangTest, ErlangAAgreesWithASimulationOfTheSameModel) {
  OfferedLoad load = Textbook();
  load.patience_seconds = 120;
  for (uint32_t n : {9u, 10u, 12u}) {
    auto f = Evaluate(load, n, 30);
    ASSERT_TRUE(f.ok());
    const Simulated sim = Simulate(100.0 / 1800, 180, 120, n, 30, 400'000);
    EXPECT_NEAR(f->probability_of_waiting, sim.waited, 0.01) << n << " operators";
    EXPECT_NEAR(f->abandon_rate, sim.abandoned, 0.01) << n << " operators";
    EXPECT_NEAR(f->service_level, sim.answered_within, 0.01) << n << " operators";
    EXPECT_NEAR(f->average_answer_seconds, sim.answer_wait, 0.05 * sim.answer_wait + 0.5)
        << n << " operators";
  }
}

TEST(ErlangTest, ErlangANeedsFewerOperatorsThanErlangCForTheSameTarget) {
  OfferedLoad impatient = Textbook();
  impatient.patience_seconds = 60;
  auto a = OperatorsNeeded(impatient, {.service_level = 0.8, .within_seconds = 20});
  auto c = OperatorsNeeded(Textbook(), {.service_level = 0.8, .within_seconds = 20});
  ASSERT_TRUE(a.ok() && c.ok());
  EXPECT_LE(a->operators, c->operators);
  // And the answer is the first that meets it.
  auto fewer = Evaluate(impatient, a->operators - 1, 20);
  ASSERT_TRUE(fewer.ok());
  EXPECT_LT(fewer->service_level, 0.8);
  EXPECT_GE(a->service_level, 0.8);
}

TEST(ErlangTest, ALargeLineIsComputedWithoutOverflow) {
  // 20,000 concurrent calls' worth of traffic: terms like A^n/n! overflow
  // doubles unless kept in logarithms.
  OfferedLoad load{.calls = 100'000, .interval_seconds = 900, .handle_seconds = 180,
                   .patience_seconds = 90.0};
  auto f = OperatorsNeeded(load, {.service_level = 0.8, .within_seconds = 30});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // With callers who hang up, 80% in 30 s is met below 20,000 operators, by
  // letting some abandon; a bound on abandonment asks for more.
  EXPECT_GT(f->operators, 18'000u);
  EXPECT_LT(f->operators, 20'000u);
  EXPECT_TRUE(std::isfinite(f->average_answer_seconds));
  auto kept = OperatorsNeeded(
      load, {.service_level = 0.8, .within_seconds = 30, .max_abandon_rate = 0.01});
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_GT(kept->operators, f->operators);
  EXPECT_LE(kept->abandon_rate, 0.01);
}

}  // namespace
}  // namespace gosline::planning
