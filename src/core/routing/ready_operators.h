// Ready operators of every pool, each pool ordered by skill level (highest
// first), then by ready_since (longest idle first: fairness, R12).
//
// An operator has one membership per pool it serves (topic x language x ...);
// memberships are intrusive list nodes, one list per (pool, level), so making
// an operator ready or busy is O(memberships) and the best of a pool is O(1).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/common/time.h"

namespace gosline::routing {

inline constexpr int kMinLevel = 1;
inline constexpr int kMaxLevel = 10;

class ReadyOperators {
 public:
  explicit ReadyOperators(size_t pool_count = 0) : pools_(pool_count) {}

  // Set-up: returns the membership id (dense, in the order added).
  uint32_t AddMembership(uint32_t pool, uint32_t op, int level);
  uint32_t pool_of(uint32_t membership) const { return nodes_[membership].pool; }
  int level_of(uint32_t membership) const { return nodes_[membership].level; }

  // Ready/busy. Ties in ready_since keep the order of insertion.
  void Insert(uint32_t membership, Time ready_since);
  void Remove(uint32_t membership);

  struct Candidate {
    uint32_t op;
    int level;
    Time ready_since;
  };
  std::optional<Candidate> Best(uint32_t pool) const;
  uint32_t ready_count(uint32_t pool) const { return pools_[pool].count; }

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  struct Node {
    uint32_t pool;
    uint32_t op;
    uint8_t level;
    bool linked = false;
    uint32_t prev = kNil;
    uint32_t next = kNil;
    Time ready_since{};
  };
  struct List {
    uint32_t head = kNil;
    uint32_t tail = kNil;
  };
  struct Pool {
    std::array<List, kMaxLevel + 1> by_level;  // index = level
    uint16_t nonempty = 0;                     // bit per level with someone ready
    uint32_t count = 0;
  };

  std::vector<Node> nodes_;
  std::vector<Pool> pools_;
};

}  // namespace gosline::routing
