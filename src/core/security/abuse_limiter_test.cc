#include "core/security/abuse_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

NumberList List(std::initializer_list<const char*> entries) {
  NumberList l;
  for (const char* e : entries) EXPECT_TRUE(l.Add(e).ok()) << e;
  return l;
}

// "trunk-a" is the carrier's trunk: many citizens behind one address.
AbusePolicy TrunkPolicy() {
  AbusePolicy p;
  p.trusted_sources = {"trunk-a"};
  return p;
}

AbuseLimiter Limiter(AbusePolicy p = TrunkPolicy()) {
  return AbuseLimiter(p, List({"+7495111*", "+79990000000"}), List({"+74957274747"}));
}

TEST(AbuseLimiterTest, R25RepeatCallerGetsBusyThenIsAllowedAgain) {
  AbuseLimiter lim = Limiter();
  for (int i = 0; i < 6; ++i) {
    AbuseDecision d = lim.OnCallAttempt("8 916 123-45-67", "trunk-a", kT0 + seconds(i));
    EXPECT_EQ(d.action, AbuseAction::kAllow) << i;
    EXPECT_EQ(d.number, "+79161234567");
  }
  AbuseDecision d = lim.OnCallAttempt("+79161234567", "trunk-a", kT0 + seconds(7));
  EXPECT_EQ(d.action, AbuseAction::kBusy);
  EXPECT_EQ(d.reason, AbuseReason::kNumberRate);
  EXPECT_EQ(lim.OnCallAttempt("+79161234567", "trunk-a", kT0 + minutes(5)).action, AbuseAction::kAllow);
}

TEST(AbuseLimiterTest, R25NeverBlocksTheLineAsAWhole) {
  AbuseLimiter lim = Limiter();
  // One number floods: it alone is refused ...
  for (int i = 0; i < 1000; ++i) lim.OnCallAttempt("+79161234567", "trunk-a", kT0);
  // ... while ten thousand other callers from all over the country, at the
  // same instant, all get through.
  int allowed = 0;
  for (int i = 0; i < 10'000; ++i) {
    std::string caller = "+79" + std::to_string(100'000'000 + i * 7919);
    allowed += lim.OnCallAttempt(caller, "trunk-a", kT0).action == AbuseAction::kAllow ? 1 : 0;
  }
  // Prefix buckets (300 a block of 10 000 numbers) are not reached by this spread.
  EXPECT_EQ(allowed, 10'000);
}

TEST(AbuseLimiterTest, R25PrefixLimitCatchesARangeRotatingRobocaller) {
  AbusePolicy p = TrunkPolicy();
  p.per_prefix = {50, minutes(1)};
  AbuseLimiter lim = Limiter(p);
  int busy = 0;
  // Each call from a new number in +7916555xxxx: per-number limits never trigger.
  for (int i = 0; i < 200; ++i) {
    AbuseDecision d = lim.OnCallAttempt("+7916555" + std::to_string(1000 + i), "trunk-a", kT0);
    if (d.action == AbuseAction::kBusy) {
      EXPECT_EQ(d.reason, AbuseReason::kPrefixRate);
      ++busy;
    }
  }
  EXPECT_EQ(busy, 150);
  // A caller outside the range is not affected.
  EXPECT_EQ(lim.OnCallAttempt("+79165561000", "trunk-a", kT0).action, AbuseAction::kAllow);
}

TEST(AbuseLimiterTest, R25BlockAndAllowLists) {
  AbuseLimiter lim = Limiter();
  AbuseDecision d = lim.OnCallAttempt("+74951112233", "trunk-a", kT0);
  EXPECT_EQ(d.action, AbuseAction::kAnnounceThenHangup);
  EXPECT_EQ(d.reason, AbuseReason::kBlockListed);
  EXPECT_EQ(lim.OnCallAttempt("89990000000", "trunk-a", kT0).reason, AbuseReason::kBlockListed);
  // An allow-listed number (a partner centre) is never limited.
  for (int i = 0; i < 100; ++i) {
    d = lim.OnCallAttempt("+74957274747", "trunk-" + std::to_string(i), kT0);
    ASSERT_EQ(d.action, AbuseAction::kAllow) << i;
    EXPECT_EQ(d.reason, AbuseReason::kAllowListed);
  }
  // Lists can be replaced at runtime.
  lim.SetLists(NumberList(), NumberList());
  EXPECT_EQ(lim.OnCallAttempt("+74951112233", "trunk-a", kT0).action, AbuseAction::kAllow);
}

TEST(AbuseLimiterTest, R25ShortCallFloodIsAnnouncedThenHungUp) {
  AbuseLimiter lim = Limiter();
  const std::string robo = "+79031112233";
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(lim.OnCallAttempt(robo, "trunk-a", kT0 + seconds(20 * i)).action, AbuseAction::kAllow);
    lim.OnCallEnded(robo, seconds(1), kT0 + seconds(20 * i + 1));
  }
  AbuseDecision d = lim.OnCallAttempt(robo, "trunk-a", kT0 + minutes(3));
  EXPECT_EQ(d.action, AbuseAction::kAnnounceThenHangup);
  EXPECT_EQ(d.reason, AbuseReason::kShortCallFlood);
  EXPECT_EQ(lim.OnCallAttempt(robo, "trunk-a", kT0 + minutes(2) + hours(1)).action,
            AbuseAction::kAllow);
}

TEST(AbuseLimiterTest, R25SpoofedNumberFromManySources) {
  AbuseLimiter lim = Limiter();
  AbuseDecision d;
  for (int i = 0; i < 4; ++i) d = lim.OnCallAttempt("+79035556677", "peer-" + std::to_string(i), kT0);
  EXPECT_EQ(d.action, AbuseAction::kAnnounceThenHangup);
  EXPECT_EQ(d.reason, AbuseReason::kManySources);
  EXPECT_STREQ(AbuseActionName(d.action), "announce_then_hangup");
  EXPECT_STREQ(AbuseReasonName(d.reason), "many_sources");
}

TEST(AbuseLimiterTest, HostileUnidentifiedCallersAreAllowedNotLumpedTogether) {
  AbuseLimiter lim = Limiter();
  // Withheld numbers and garbage in the From header cannot be attributed:
  // limiting them together would refuse every caller who hides the number
  // (from a trunk; a single host is limited as a source, below).
  for (const char* caller : {"anonymous", "", "'; DROP TABLE calls; --", "+7916abc"}) {
    for (int i = 0; i < 20; ++i) {
      AbuseDecision d = lim.OnCallAttempt(caller, "trunk-a", kT0);
      ASSERT_EQ(d.action, AbuseAction::kAllow) << caller;
      EXPECT_EQ(d.reason, AbuseReason::kUnidentified);
    }
  }
  EXPECT_EQ(lim.OnCallAttempt(std::string(1 << 20, '9'), "trunk-a", kT0).reason,
            AbuseReason::kUnidentified);
  EXPECT_EQ(lim.tracked_numbers(), 0u);
}

// R25: one host cannot fill the line by withholding its number or presenting
// a new one on every call: its address is limited, whatever the From says.
TEST(AbuseLimiterTest, R25OneHostIsLimitedWhateverItsFromClaims) {
  AbusePolicy p = TrunkPolicy();
  p.per_source = {5, std::chrono::minutes(1)};
  AbuseLimiter lim = Limiter(p);
  const char* callers[] = {"anonymous", "", "+7916abc", "+79160000001", "+74957274747"};
  for (const char* caller : callers) {
    ASSERT_EQ(lim.OnCallAttempt(caller, "198.51.100.7", kT0).action, AbuseAction::kAllow) << caller;
  }
  for (const char* caller : callers) {
    AbuseDecision d = lim.OnCallAttempt(caller, "198.51.100.7", kT0);
    EXPECT_EQ(d.action, AbuseAction::kBusy) << caller << ": an allow-listed From is a claim too";
    EXPECT_EQ(d.reason, AbuseReason::kSourceRate) << caller;
  }
  EXPECT_STREQ(AbuseReasonName(AbuseReason::kSourceRate), "source_rate");
  // Another host and the trusted trunk are not affected; the host gets a call
  // again once its bucket refills.
  EXPECT_EQ(lim.OnCallAttempt("anonymous", "198.51.100.8", kT0).action, AbuseAction::kAllow);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(lim.OnCallAttempt("anonymous", "trunk-a", kT0).action, AbuseAction::kAllow) << i;
  }
  EXPECT_EQ(lim.OnCallAttempt("anonymous", "198.51.100.7", kT0 + std::chrono::minutes(1)).action,
            AbuseAction::kAllow);
}

TEST(AbuseLimiterTest, R25OneHostHoldsAtMostItsShareOfCallsAtOnce) {
  AbusePolicy p = TrunkPolicy();
  p.per_source = {1000, std::chrono::milliseconds(1)};
  p.max_calls_per_source = 3;
  AbuseLimiter lim = Limiter(p);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(lim.OnCallAttempt("anonymous", "198.51.100.7", kT0).action, AbuseAction::kAllow);
    lim.CallStarted("198.51.100.7");
  }
  AbuseDecision d = lim.OnCallAttempt("+79160000002", "198.51.100.7", kT0);
  EXPECT_EQ(d.action, AbuseAction::kBusy);
  EXPECT_EQ(d.reason, AbuseReason::kSourceCalls);
  EXPECT_EQ(lim.calls_from("198.51.100.7"), 3u);
  lim.CallFinished("198.51.100.7");
  EXPECT_EQ(lim.OnCallAttempt("anonymous", "198.51.100.7", kT0).action, AbuseAction::kAllow);
  // Trusted trunks are not counted; the count of a source ends with its calls.
  for (int i = 0; i < 10; ++i) lim.CallStarted("trunk-a");
  EXPECT_EQ(lim.calls_from("trunk-a"), 0u);
  lim.CallFinished("198.51.100.7");
  lim.CallFinished("198.51.100.7");
  lim.CallFinished("198.51.100.7");  // one more than started: no underflow
  EXPECT_EQ(lim.calls_from("198.51.100.7"), 0u);
}

TEST(AbuseLimiterTest, MemoryIsBoundedAndSweepForgetsIdleNumbers) {
  AbusePolicy p = TrunkPolicy();
  p.max_tracked_sources = 50;
  p.max_tracked_numbers = 1000;
  p.max_tracked_prefixes = 100;
  AbuseLimiter lim = Limiter(p);
  for (int i = 0; i < 20'000; ++i) {
    lim.OnCallAttempt("+7" + std::to_string(9'000'000'000LL + i * 49'999LL), "trunk-a", kT0);
  }
  for (int i = 0; i < 1000; ++i) lim.OnCallAttempt("anonymous", "10.0.0." + std::to_string(i), kT0);
  EXPECT_LE(lim.tracked_numbers(), 1000u);
  EXPECT_LE(lim.tracked_prefixes(), 100u);
  EXPECT_LE(lim.tracked_sources(), 50u);
  lim.Sweep(kT0 + hours(1));
  EXPECT_EQ(lim.tracked_numbers(), 0u);
  EXPECT_EQ(lim.tracked_prefixes(), 0u);
  EXPECT_EQ(lim.tracked_sources(), 0u);
}

}  // namespace
}  // namespace gosline::security
