#include "core/routing/ready_operators.h"

#include <bit>

namespace gosline::routing {

uint32_t ReadyOperators::AddMembership(uint32_t pool, uint32_t op, int level) {
  nodes_.push_back(Node{pool, op, uint8_t(level)});
  return uint32_t(nodes_.size() - 1);
}

void ReadyOperators::Insert(uint32_t m, Time ready_since) {
  Node& n = nodes_[m];
  if (n.linked) return;
  Pool& pool = pools_[n.pool];
  List& list = pool.by_level[n.level];
  n.ready_since = ready_since;
  // Events come in time order, so the new node nearly always goes last; walk
  // back only past operators who became ready later.
  uint32_t after = list.tail;
  while (after != kNil && nodes_[after].ready_since > ready_since) after = nodes_[after].prev;
  n.prev = after;
  n.next = after == kNil ? list.head : nodes_[after].next;
  (n.prev == kNil ? list.head : nodes_[n.prev].next) = m;
  (n.next == kNil ? list.tail : nodes_[n.next].prev) = m;
  n.linked = true;
  pool.nonempty |= uint16_t(1u << n.level);
  ++pool.count;
}

void ReadyOperators::Remove(uint32_t m) {
  Node& n = nodes_[m];
  if (!n.linked) return;
  Pool& pool = pools_[n.pool];
  List& list = pool.by_level[n.level];
  (n.prev == kNil ? list.head : nodes_[n.prev].next) = n.next;
  (n.next == kNil ? list.tail : nodes_[n.next].prev) = n.prev;
  n.prev = n.next = kNil;
  n.linked = false;
  if (list.head == kNil) pool.nonempty &= uint16_t(~(1u << n.level));
  --pool.count;
}

std::optional<ReadyOperators::Candidate> ReadyOperators::Best(uint32_t pool_index) const {
  const Pool& pool = pools_[pool_index];
  if (pool.nonempty == 0) return std::nullopt;
  const int level = std::bit_width(unsigned(pool.nonempty)) - 1;  // highest level with someone
  const Node& n = nodes_[pool.by_level[level].head];
  return Candidate{n.op, level, n.ready_since};
}

}  // namespace gosline::routing
