#include "core/security/login_lockout.h"

#include <algorithm>

namespace gosline::security {

LoginLockout::LoginLockout(LockoutPolicy policy)
    : policy_(policy), accounts_(policy.max_tracked), addresses_(policy.max_tracked) {}

LockoutDecision LoginLockout::Check(const std::string& account, const std::string& address,
                                    Time now) const {
  const Counter* acc = accounts_.Peek(account);
  const Counter* addr = addresses_.Peek(address);
  LockoutDecision d;
  // Report the lock that ends last: that is when trying again makes sense.
  if (Locked(acc, now)) {
    d = {false, LockoutDecision::Reason::kAccountLocked, acc->locked_until};
  }
  if (Locked(addr, now) && (d.allowed || addr->locked_until > d.retry_after)) {
    d = {false, LockoutDecision::Reason::kAddressLocked, addr->locked_until};
  }
  if (!d.allowed) return d;
  // A table full of locks could not count this key's failures: refuse it for now.
  if (acc == nullptr && accounts_full_at_ && now - *accounts_full_at_ < policy_.account.window) {
    return {false, LockoutDecision::Reason::kAccountLocked, *accounts_full_at_ + policy_.account.window};
  }
  if (addr == nullptr && addresses_full_at_ && now - *addresses_full_at_ < policy_.address.window) {
    return {false, LockoutDecision::Reason::kAddressLocked, *addresses_full_at_ + policy_.address.window};
  }
  return d;
}

void LoginLockout::Count(Counter& c, const LockoutRule& rule, Time now) const {
  if (c.locks > 0 && now - c.last_failure >= policy_.forget_after) c.locks = 0;
  c.last_failure = now;
  if (now < c.locked_until) return;  // attempts while locked do not extend the lock
  while (!c.failures.empty() && now - c.failures.front() >= rule.window) c.failures.pop_front();
  c.failures.push_back(now);
  if (c.failures.size() < rule.threshold) return;
  // Lock for first_lockout * 2^locks, capped; shift bounded to avoid overflow.
  Duration lock = rule.first_lockout;
  for (uint32_t i = 0; i < c.locks && lock < rule.max_lockout; ++i) lock *= 2;
  c.locked_until = now + std::min(lock, rule.max_lockout);
  ++c.locks;
  c.failures.clear();
}

bool LoginLockout::Pinned(const Counter& c, const LockoutRule& rule, Time now) {
  return now < c.locked_until || (!c.failures.empty() && now - c.failures.back() < rule.window);
}

bool LoginLockout::CountIn(BoundedLru<Counter>& table, const std::string& key,
                           const LockoutRule& rule, Time now) {
  Counter* c = table.FindOrInsertUnpinned(
      key, [] { return Counter{}; },
      [&](const std::string&, const Counter& other) { return Pinned(other, rule, now); });
  if (c == nullptr) return false;
  Count(*c, rule, now);
  return true;
}

LockoutDecision LoginLockout::RecordFailure(const std::string& account, const std::string& address,
                                            Time now) {
  if (!CountIn(accounts_, account, policy_.account, now)) accounts_full_at_ = now;
  if (!CountIn(addresses_, address, policy_.address, now)) addresses_full_at_ = now;
  return Check(account, address, now);
}

void LoginLockout::RecordSuccess(const std::string& account) { accounts_.Erase(account); }

bool LoginLockout::Forgettable(const Counter& c, const LockoutRule& rule, Time now) const {
  if (now < c.locked_until) return false;
  if (!c.failures.empty() && now - c.failures.back() < rule.window) return false;
  return c.locks == 0 || now - c.last_failure >= policy_.forget_after;
}

void LoginLockout::Sweep(Time now) {
  accounts_.EraseIf([&](const std::string&, const Counter& c) {
    return Forgettable(c, policy_.account, now);
  });
  addresses_.EraseIf([&](const std::string&, const Counter& c) {
    return Forgettable(c, policy_.address, now);
  });
}

}  // namespace gosline::security
