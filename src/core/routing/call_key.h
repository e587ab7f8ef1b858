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

namespace gosline::routing {

enum class Tier : uint8_t {
  kHead = 0,     // back from an operator who did not answer: served first
  kOverdue = 1,  // waited past promote_after: served before later arrivals whatever their priority
  kNormal = 2,
};

// Two words, compared as numbers: 16 bytes a key keeps the waiting lists small.
struct CallKey {
  uint64_t rank = 0;      // tier (top 2 bits), then the virtual arrival time in ms
  uint64_t seq_slot = 0;  // arrival order (unique), then the call's slot (low 24 bits)

  static constexpr int kSlotBits = 24;  // up to 16.7 million calls routed at once
  static constexpr uint64_t kBias = uint64_t(1) << 60;  // times before 1970 stay positive

  static CallKey Make(Tier tier, int64_t order_ms, uint64_t seq, uint32_t slot) {
    return CallKey{(uint64_t(tier) << 62) | uint64_t(order_ms + int64_t(kBias)),
                   (seq << kSlotBits) | slot};
  }
  Tier tier() const { return Tier(rank >> 62); }
  int64_t order_ms() const { return int64_t(rank & ((uint64_t(1) << 62) - 1)) - int64_t(kBias); }
  uint64_t seq() const { return seq_slot >> kSlotBits; }
  uint32_t slot() const { return uint32_t(seq_slot & ((uint64_t(1) << kSlotBits) - 1)); }

  bool operator<(const CallKey& o) const {
    return rank != o.rank ? rank < o.rank : seq_slot < o.seq_slot;
  }
  bool operator==(const CallKey& o) const = default;
};

}  // namespace gosline::routing
