// When a staff session ends (R19): after `idle_timeout` without a request, and
// in any case `absolute_timeout` after login, whatever the activity. Times are
// passed in; the store keeps created_at and last_seen_at per session.
#pragma once

#include <chrono>

#include "core/common/time.h"

namespace gosline::security {

struct SessionPolicy {
  Duration idle_timeout = std::chrono::minutes(30);
  Duration absolute_timeout = std::chrono::hours(12);  // one shift
  // last_seen_at is written at most this often, so a busy operator's
  // requests do not each cost a database write.
  Duration touch_interval = std::chrono::minutes(1);
};

struct SessionTimes {
  Time created_at;
  Time last_seen_at;
};

enum class SessionState { kActive, kIdleExpired, kAbsoluteExpired };

const char* SessionStateName(SessionState state);

// The instant the session stops being valid if no request comes before it.
Time SessionExpiresAt(const SessionTimes& times, const SessionPolicy& policy);

// State at `now`. A session whose times lie in the future (clock stepped
// back, or a forged row) counts as expired: it cannot be trusted.
SessionState EvaluateSession(const SessionTimes& times, const SessionPolicy& policy, Time now);

// Whether an active session's last_seen_at should be written as `now`.
bool ShouldTouchSession(const SessionTimes& times, const SessionPolicy& policy, Time now);

}  // namespace gosline::security
