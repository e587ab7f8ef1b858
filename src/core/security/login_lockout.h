// Brute-force protection for staff logins (R19). Failures are counted per
// account (someone guessing one operator's password) and per source address
// (someone trying many accounts). Reaching a threshold within a window locks
// that key; each further lock of the same account lasts twice as long, up to
// a ceiling. Times are passed in; memory is bounded whatever attackers send.
//
// The tables are bounded, but a key with a lock or with failures inside its
// window is never evicted to make room for another: otherwise failures under
// many made-up logins (or from many addresses) would flush the lock of the
// account under attack. When a table holds nothing but such keys, a new key
// cannot be counted, and attempts for keys not tracked are refused until
// one window has passed (fail closed, never open).
//
// Use: Check() before verifying anything (a locked key costs no argon2 work
// and learns nothing), RecordFailure() on a wrong password or second factor,
// RecordSuccess() after a complete login. Unknown logins are counted like
// known ones, so the lockout does not reveal which accounts exist.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/time.h"
#include "core/security/bounded_lru.h"

namespace gosline::security {

struct LockoutRule {
  uint32_t threshold;       // failures within `window` that lock
  Duration window;
  Duration first_lockout;   // the first lock; each next one doubles ...
  Duration max_lockout;     // ... up to this
};

struct LockoutPolicy {
  LockoutRule account{5, std::chrono::minutes(15), std::chrono::minutes(1), std::chrono::hours(1)};
  LockoutRule address{20, std::chrono::minutes(15), std::chrono::minutes(15), std::chrono::hours(4)};
  // After this long without a failure a key's escalation is forgotten.
  Duration forget_after = std::chrono::hours(24);
  size_t max_tracked = 100'000;  // per kind (accounts, addresses)
};

struct LockoutDecision {
  enum class Reason { kNone, kAccountLocked, kAddressLocked };  // a full table counts as locked
  bool allowed = true;
  Reason reason = Reason::kNone;
  Time retry_after{};  // when not allowed: the earliest time to try again
};

class LoginLockout {
 public:
  explicit LoginLockout(LockoutPolicy policy = {});

  // Whether a login attempt for `account` from `address` may proceed now.
  LockoutDecision Check(const std::string& account, const std::string& address, Time now) const;
  // Counts a failed attempt; returns the state after it (locked if this one
  // reached a threshold).
  LockoutDecision RecordFailure(const std::string& account, const std::string& address, Time now);
  // A complete login: the account's failures and escalation are cleared.
  // The address counter is not: one valid account must not let its holder
  // reset the counter between guesses at other accounts.
  void RecordSuccess(const std::string& account);
  // Forgets keys with nothing left to remember (call periodically).
  void Sweep(Time now);

  size_t tracked_accounts() const { return accounts_.size(); }
  size_t tracked_addresses() const { return addresses_.size(); }

 private:
  struct Counter {
    std::deque<Time> failures;   // at most `threshold` most recent
    Time locked_until{};
    Time last_failure{};
    uint32_t locks = 0;          // consecutive locks, for escalation
  };
  static bool Locked(const Counter* c, Time now) { return c != nullptr && now < c->locked_until; }
  // Whether `c` holds state an attacker would like flushed (a lock, or failures in the window).
  static bool Pinned(const Counter& c, const LockoutRule& rule, Time now);
  // Counts one failure of `key` in `table`; false when the table had no room.
  bool CountIn(BoundedLru<Counter>& table, const std::string& key, const LockoutRule& rule, Time now);
  void Count(Counter& c, const LockoutRule& rule, Time now) const;
  bool Forgettable(const Counter& c, const LockoutRule& rule, Time now) const;

  LockoutPolicy policy_;
  BoundedLru<Counter> accounts_;
  BoundedLru<Counter> addresses_;
  // When a failure last could not be counted because every entry was
  // pinned; for one window after it, keys not tracked are refused.
  std::optional<Time> accounts_full_at_;
  std::optional<Time> addresses_full_at_;
};

}  // namespace gosline::security
