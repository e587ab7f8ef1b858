#include "core/security/session_expiry.h"

#include <algorithm>

namespace gosline::security {

const char* SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::kActive: return "active";
    case SessionState::kIdleExpired: return "idle_expired";
    case SessionState::kAbsoluteExpired: return "absolute_expired";
  }
  return "unknown";
}

Time SessionExpiresAt(const SessionTimes& times, const SessionPolicy& policy) {
  return std::min(times.last_seen_at + policy.idle_timeout,
                  times.created_at + policy.absolute_timeout);
}

SessionState EvaluateSession(const SessionTimes& times, const SessionPolicy& policy, Time now) {
  if (times.created_at > now || times.last_seen_at > now || times.last_seen_at < times.created_at) {
    return SessionState::kAbsoluteExpired;
  }
  if (now >= times.created_at + policy.absolute_timeout) return SessionState::kAbsoluteExpired;
  if (now >= times.last_seen_at + policy.idle_timeout) return SessionState::kIdleExpired;
  return SessionState::kActive;
}

bool ShouldTouchSession(const SessionTimes& times, const SessionPolicy& policy, Time now) {
  return EvaluateSession(times, policy, now) == SessionState::kActive &&
         now - times.last_seen_at >= policy.touch_interval;
}

}  // namespace gosline::security
