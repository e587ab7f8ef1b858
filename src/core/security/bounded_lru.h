// A map with a fixed maximum size that forgets its least recently used entry
// when full. The security trackers (lockout, abuse limits) keep per-number and
// per-address state; an attacker controls how many distinct keys arrive, so
// memory must stay bounded whatever they send. Forgetting an entry only ever
// relaxes a limit for that key (fail open for the citizen, never for the line).
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace gosline::security {

template <typename V>
class BoundedLru {
 public:
  explicit BoundedLru(size_t max_entries) : max_(max_entries == 0 ? 1 : max_entries) {}

  // The entry for `key`, marked most recently used; nullptr when absent.
  V* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  // Looks without changing the order (for const checks).
  const V* Peek(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // The entry for `key`, created from `make()` when absent (evicting the
  // least recently used one if the map is full).
  template <typename Make>
  V& FindOrInsert(const std::string& key, Make&& make) {
    if (V* v = Find(key)) return *v;
    if (index_.size() >= max_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, make());
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  // Like FindOrInsert, but when the map is full only an entry for which
  // `pinned(key, value)` is false may make room: the least recently used of
  // those. nullptr when every entry is pinned (nothing is evicted then). For
  // state an attacker must not be able to flush by sending many other keys.
  template <typename Make, typename Pinned>
  V* FindOrInsertUnpinned(const std::string& key, Make&& make, Pinned&& pinned) {
    if (V* v = Find(key)) return v;
    if (index_.size() >= max_) {
      auto victim = order_.end();
      for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        if (!pinned(it->first, it->second)) {
          victim = std::next(it).base();
          break;
        }
      }
      if (victim == order_.end()) return nullptr;
      index_.erase(victim->first);
      order_.erase(victim);
    }
    order_.emplace_front(key, make());
    index_.emplace(key, order_.begin());
    return &order_.front().second;
  }

  void Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  // Drops every entry for which `expired(key, value)` is true.
  void EraseIf(const std::function<bool(const std::string&, const V&)>& expired) {
    for (auto it = order_.begin(); it != order_.end();) {
      if (expired(it->first, it->second)) {
        index_.erase(it->first);
        it = order_.erase(it);
      } else {
        ++it;
      }
    }
  }

  size_t size() const { return index_.size(); }
  size_t max_size() const { return max_; }

 private:
  size_t max_;
  std::list<std::pair<std::string, V>> order_;  // front: most recently used
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

}  // namespace gosline::security
