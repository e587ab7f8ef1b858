// The calls waiting in one pool, in serving order, with their positions:
// an order-statistics tree (libstdc++ policy-based red-black tree), so insert,
// erase, first and position are all O(log n) with 100,000 calls waiting.
#pragma once

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include <functional>

#include "core/routing/call_key.h"

namespace gosline::routing {

class WaitingCalls {
 public:
  void Insert(const CallKey& key) { tree_.insert(key); }
  void Erase(const CallKey& key) { tree_.erase(key); }
  const CallKey* Front() const { return tree_.empty() ? nullptr : &*tree_.begin(); }
  // How many calls are served before `key` (0 = it is next).
  size_t CountBefore(const CallKey& key) const { return tree_.order_of_key(key); }
  size_t size() const { return tree_.size(); }
  bool empty() const { return tree_.empty(); }
  template <typename F>
  void ForEach(F&& f) const {
    for (const CallKey& k : tree_) f(k);
  }

 private:
  __gnu_pbds::tree<CallKey, __gnu_pbds::null_type, std::less<CallKey>, __gnu_pbds::rb_tree_tag,
                   __gnu_pbds::tree_order_statistics_node_update>
      tree_;
};

}  // namespace gosline::routing
