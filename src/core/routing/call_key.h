// The order in which waiting calls are served (R9): earliest key first.
//
// Priority as virtual waiting time: a caller with an open case counts as
// having arrived `open_case_weight` earlier. Every caller's effective wait then
// grows at the same rate (that is the aging), so the order of two callers
// never changes while they wait, and a caller can only be overtaken by priority
// callers who arrive within `weight` after it: nobody starves, however long
// the stream of priority callers.
#pragma once

#include <cstdint>
#include <tuple>

namespace gosline::routing {

enum class Tier : uint8_t {
  kHead = 0,     // back from an operator who did not answer: served first
  kOverdue = 1,  // waited past promote_after: served before later arrivals whatever their priority
  kNormal = 2,
};

struct CallKey {
  Tier tier = Tier::kNormal;
  int64_t order_ms = 0;  // virtual arrival time (kOverdue: real first arrival)
  uint64_t seq = 0;      // arrival order among equal times; unique per call
  uint32_t slot = 0;     // the call, not part of the order

  bool operator<(const CallKey& o) const {
    return std::tie(tier, order_ms, seq) < std::tie(o.tier, o.order_ms, o.seq);
  }
};

}  // namespace gosline::routing
