#include "core/security/session_expiry.h"

#include <gtest/gtest.h>

namespace gosline::security {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const Time kLogin = FromUnixMillis(1'760'000'000'000);

TEST(SessionExpiryTest, R19IdleTimeoutEndsAQuietSession) {
  SessionPolicy p;
  SessionTimes t{kLogin, kLogin};
  EXPECT_EQ(EvaluateSession(t, p, kLogin + minutes(29)), SessionState::kActive);
  EXPECT_EQ(EvaluateSession(t, p, kLogin + minutes(30)), SessionState::kIdleExpired);
  EXPECT_EQ(SessionExpiresAt(t, p), kLogin + minutes(30));
}

TEST(SessionExpiryTest, R19ActivityExtendsUntilTheAbsoluteLimit) {
  SessionPolicy p;
  SessionTimes t{kLogin, kLogin};
  // A request every 20 minutes keeps the session alive ...
  Time now = kLogin;
  for (int i = 0; i < 35 && now < kLogin + hours(11) + minutes(40); ++i) {
    now += minutes(20);
    ASSERT_EQ(EvaluateSession(t, p, now), SessionState::kActive) << i;
    if (ShouldTouchSession(t, p, now)) t.last_seen_at = now;
  }
  // ... but not past 12 hours after login.
  EXPECT_EQ(EvaluateSession(t, p, kLogin + hours(12)), SessionState::kAbsoluteExpired);
  EXPECT_EQ(SessionExpiresAt(t, p), kLogin + hours(12));
}

TEST(SessionExpiryTest, TouchIsRateLimited) {
  SessionPolicy p;
  SessionTimes t{kLogin, kLogin};
  EXPECT_FALSE(ShouldTouchSession(t, p, kLogin + std::chrono::seconds(59)));
  EXPECT_TRUE(ShouldTouchSession(t, p, kLogin + minutes(1)));
  EXPECT_FALSE(ShouldTouchSession(t, p, kLogin + minutes(31)));  // expired: no touch revives it
}

TEST(SessionExpiryTest, HostileTimesInTheFutureAreNotTrusted) {
  SessionPolicy p;
  EXPECT_EQ(EvaluateSession({kLogin + hours(1), kLogin + hours(1)}, p, kLogin),
            SessionState::kAbsoluteExpired);
  EXPECT_EQ(EvaluateSession({kLogin, kLogin + hours(1)}, p, kLogin + minutes(5)),
            SessionState::kAbsoluteExpired);
  EXPECT_EQ(EvaluateSession({kLogin, kLogin - hours(1)}, p, kLogin + minutes(5)),
            SessionState::kAbsoluteExpired);
  EXPECT_STREQ(SessionStateName(SessionState::kIdleExpired), "idle_expired");
}

}  // namespace
}  // namespace gosline::security
