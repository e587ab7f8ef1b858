#include "core/security/login_lockout.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Reason = LockoutDecision::Reason;

const Time kT0 = FromUnixMillis(1'760'000'000'000);

TEST(LoginLockoutTest, R19AccountLocksAfterThresholdWithinWindow) {
  LoginLockout lock;
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(lock.RecordFailure("ivanov", "10.0.0.1", kT0 + seconds(i)).allowed) << i;
  }
  LockoutDecision d = lock.RecordFailure("ivanov", "10.0.0.1", kT0 + seconds(4));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kAccountLocked);
  EXPECT_EQ(d.retry_after, kT0 + seconds(4) + minutes(1));
  // Locked from any address; another account from the same address is not.
  EXPECT_FALSE(lock.Check("ivanov", "192.0.2.7", kT0 + seconds(30)).allowed);
  EXPECT_TRUE(lock.Check("petrova", "10.0.0.1", kT0 + seconds(30)).allowed);
  EXPECT_TRUE(lock.Check("ivanov", "10.0.0.1", kT0 + seconds(4) + minutes(1)).allowed);
}

TEST(LoginLockoutTest, FailuresOutsideTheWindowDoNotAddUp) {
  LoginLockout lock;
  // One failure every 4 minutes: never 5 within 15 minutes.
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(lock.RecordFailure("ivanov", "10.0.0.1", kT0 + minutes(4 * i)).allowed) << i;
  }
}

TEST(LoginLockoutTest, R19LockoutGrowsWithEachLockAndIsCapped) {
  LoginLockout lock;
  Time now = kT0;
  Duration expected = minutes(1);
  for (int round = 0; round < 9; ++round) {
    LockoutDecision d;
    for (int i = 0; i < 5; ++i) d = lock.RecordFailure("ivanov", "10.0.0." + std::to_string(round), now);
    ASSERT_FALSE(d.allowed) << round;
    EXPECT_EQ(d.retry_after - now, expected) << round;
    now = d.retry_after;
    expected = std::min<Duration>(expected * 2, hours(1));
  }
}

TEST(LoginLockoutTest, AttemptsWhileLockedDoNotExtendTheLock) {
  LoginLockout lock;
  for (int i = 0; i < 5; ++i) lock.RecordFailure("ivanov", "a", kT0);
  for (int i = 0; i < 50; ++i) lock.RecordFailure("ivanov", "a", kT0 + seconds(i));
  EXPECT_TRUE(lock.Check("ivanov", "b", kT0 + minutes(1)).allowed);
}

TEST(LoginLockoutTest, R19SuccessResetsTheAccountCounterAndEscalation) {
  LoginLockout lock;
  for (int i = 0; i < 4; ++i) lock.RecordFailure("ivanov", "10.0.0.1", kT0);
  lock.RecordSuccess("ivanov");
  // Four more failures: a fresh count, no lock.
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(lock.RecordFailure("ivanov", "10.0.0.1", kT0 + seconds(1)).allowed);
  }
  // Escalation forgotten too: the next lock is the first one again.
  LockoutDecision d = lock.RecordFailure("ivanov", "10.0.0.1", kT0 + seconds(2));
  ASSERT_FALSE(d.allowed);
  lock.RecordSuccess("ivanov");
  for (int i = 0; i < 5; ++i) d = lock.RecordFailure("ivanov", "10.0.0.2", kT0 + minutes(2));
  EXPECT_EQ(d.retry_after, kT0 + minutes(3));
}

TEST(LoginLockoutTest, R19AddressLocksWhenSprayingManyAccounts) {
  LoginLockout lock;
  LockoutDecision d;
  for (int i = 0; i < 20; ++i) {
    d = lock.RecordFailure("user" + std::to_string(i), "198.51.100.9", kT0 + seconds(i));
  }
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kAddressLocked);
  // Every account is refused from that address, even one never tried ...
  EXPECT_FALSE(lock.Check("supervisor", "198.51.100.9", kT0 + minutes(1)).allowed);
  // ... and a success elsewhere does not reset the address.
  lock.RecordSuccess("user3");
  EXPECT_FALSE(lock.Check("user3", "198.51.100.9", kT0 + minutes(1)).allowed);
  // Other addresses are unaffected.
  EXPECT_TRUE(lock.Check("supervisor", "198.51.100.10", kT0 + minutes(1)).allowed);
}

TEST(LoginLockoutTest, ReportsTheLaterOfTwoLocks) {
  LoginLockout lock;
  for (int i = 0; i < 20; ++i) lock.RecordFailure("ivanov", "198.51.100.9", kT0);
  LockoutDecision d = lock.Check("ivanov", "198.51.100.9", kT0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kAddressLocked);  // 15 minutes beats the account's lock
  EXPECT_EQ(d.retry_after, kT0 + minutes(15));
}

TEST(LoginLockoutTest, HostileManyDistinctKeysStayBounded) {
  LockoutPolicy policy;
  policy.max_tracked = 1000;
  LoginLockout lock(policy);
  for (int i = 0; i < 20'000; ++i) {
    lock.RecordFailure("acct" + std::to_string(i), "2001:db8::" + std::to_string(i), kT0);
  }
  EXPECT_LE(lock.tracked_accounts(), 1000u);
  EXPECT_LE(lock.tracked_addresses(), 1000u);
}

// R19: failures under many made-up logins or from many addresses must not
// push the lock of the account under attack out of the bounded tables.
TEST(LoginLockoutTest, ManyOtherKeysCannotFlushATargetedLock) {
  LockoutPolicy policy;
  policy.max_tracked = 100;
  LoginLockout lock(policy);
  for (int i = 0; i < 5; ++i) lock.RecordFailure("ivanova", "198.51.100.1", kT0);
  ASSERT_FALSE(lock.Check("ivanova", "198.51.100.2", kT0).allowed);
  // Guesses that nearly lock, too, are kept: 4 failures stay counted.
  for (int i = 0; i < 4; ++i) lock.RecordFailure("petrov", "198.51.100.1", kT0);
  for (int i = 0; i < 5'000; ++i) {
    lock.RecordFailure("junk" + std::to_string(i), "2001:db8::" + std::to_string(i), kT0 + seconds(1));
  }
  EXPECT_LE(lock.tracked_accounts(), 100u);
  EXPECT_LE(lock.tracked_addresses(), 100u);
  LockoutDecision d = lock.Check("ivanova", "198.51.100.3", kT0 + seconds(2));
  EXPECT_FALSE(d.allowed) << "the targeted account is still locked";
  EXPECT_EQ(d.reason, LockoutDecision::Reason::kAccountLocked);
  EXPECT_FALSE(lock.RecordFailure("petrov", "198.51.100.3", kT0 + seconds(3)).allowed)
      << "the fifth failure still locks";
  // The full table refuses keys it cannot count, for one window, then heals.
  EXPECT_FALSE(lock.Check("someone-new", "198.51.100.4", kT0 + seconds(4)).allowed);
  lock.Sweep(kT0 + minutes(20));
  EXPECT_TRUE(lock.Check("someone-new", "198.51.100.4", kT0 + minutes(20)).allowed);
}

TEST(LoginLockoutTest, SweepForgetsQuietKeysButKeepsLocks) {
  LoginLockout lock;
  lock.RecordFailure("quiet", "a", kT0);
  for (int i = 0; i < 5; ++i) lock.RecordFailure("locked", "b", kT0);
  lock.Sweep(kT0 + minutes(16));
  EXPECT_EQ(lock.tracked_accounts(), 1u);  // "locked" remembers its escalation
  lock.Sweep(kT0 + hours(25));
  EXPECT_EQ(lock.tracked_accounts(), 0u);
  EXPECT_EQ(lock.tracked_addresses(), 0u);
}

}  // namespace
}  // namespace gosline::security
