#include "core/security/refusal_tally.h"

#include <utility>

namespace gosline::security {

RefusalTally::RefusalTally(size_t max_addresses)
    : max_addresses_(max_addresses == 0 ? 1 : max_addresses) {}

Time RefusalTally::MinuteOf(Time t) {
  const int64_t ms = ToUnixMillis(t);
  const int64_t minute_ms = 60'000;
  return FromUnixMillis(ms - ((ms % minute_ms) + minute_ms) % minute_ms);
}

void RefusalTally::CloseCurrent() {
  for (auto& [address, count] : current_) finished_.push_back(std::move(count));
  current_.clear();
}

void RefusalTally::Add(const Refusal& refusal, Time now) {
  const Time minute = MinuteOf(now);
  if (minute != minute_) {
    // A clock that steps back starts a new minute too: nothing is lost.
    CloseCurrent();
    minute_ = minute;
  }
  auto it = current_.find(refusal.address);
  if (it == current_.end()) {
    const size_t addresses = current_.size() - current_.count(std::string(kOverflowAddress));
    const bool full = addresses >= max_addresses_;
    const std::string key = full ? std::string(kOverflowAddress) : refusal.address;
    it = current_.find(key);
    if (it == current_.end()) {
      RefusalCount fresh{minute, 0, refusal};
      fresh.first.address = key;
      it = current_.emplace(key, std::move(fresh)).first;
    }
  }
  ++it->second.count;
}

std::vector<RefusalCount> RefusalTally::TakeFinished(Time now) {
  if (!current_.empty() && MinuteOf(now) != minute_) CloseCurrent();
  return std::exchange(finished_, {});
}

std::vector<RefusalCount> RefusalTally::TakeAll() {
  CloseCurrent();
  return std::exchange(finished_, {});
}

}  // namespace gosline::security
