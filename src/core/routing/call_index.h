// CallId -> call slot: an open-addressing hash table (linear probing,
// backward-shift erase), one flat array instead of a node per call; every
// call event starts with this lookup.
#pragma once

#include <cstdint>
#include <vector>

#include "core/routing/routing_types.h"

namespace gosline::routing {

class CallIndex {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;

  uint32_t Find(CallId id) const;  // kMissing when absent
  bool contains(CallId id) const { return Find(id) != kMissing; }
  // `slot` must not be kMissing; returns false (and changes nothing) if `id` is there.
  bool Insert(CallId id, uint32_t slot);
  bool Erase(CallId id);
  size_t size() const { return size_; }
  template <typename F>
  void ForEach(F&& f) const {
    for (const Entry& e : table_) {
      if (e.slot != kMissing) f(e.id, e.slot);
    }
  }

 private:
  struct Entry {
    CallId id = 0;
    uint32_t slot = kMissing;  // kMissing: the entry is free
  };
  size_t Home(CallId id) const;
  void Grow();

  std::vector<Entry> table_;  // size a power of two, at most half full
  size_t size_ = 0;
};

}  // namespace gosline::routing
