// The calls waiting in one pool, in serving order, with their positions.
//
// A sorted list cut into chunks of at most 2 x kChunk keys (as Python's
// sortedcontainers does): inserting or erasing touches one short contiguous
// chunk found by binary search over the chunks' last keys, which keeps 100,000
// waiting calls in cache-friendly arrays without a node per call. New calls
// mostly join at the end and leave at the front, the cheap cases.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/routing/call_key.h"

namespace gosline::routing {

class WaitingCalls {
 public:
  static constexpr size_t kChunk = 64;

  void Insert(const CallKey& key);
  // Returns whether `key` was there.
  bool Erase(const CallKey& key);
  const CallKey* Front() const { return chunks_.empty() ? nullptr : &chunks_.front().front(); }
  // How many calls are served before `key` (0 = it is next).
  size_t CountBefore(const CallKey& key) const;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  template <typename F>
  void ForEach(F&& f) const {
    for (const std::vector<CallKey>& chunk : chunks_) {
      for (const CallKey& k : chunk) f(k);
    }
  }

 private:
  // The first chunk whose last key is not below `key` (or the last chunk).
  size_t ChunkFor(const CallKey& key) const;

  std::vector<std::vector<CallKey>> chunks_;  // each sorted and non-empty
  std::vector<CallKey> lasts_;                // last key of each chunk
  size_t size_ = 0;
  mutable std::vector<size_t> before_;        // keys in the chunks before each, when fresh
  mutable bool before_fresh_ = false;
};

}  // namespace gosline::routing
