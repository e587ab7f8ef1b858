// Deadlines of the routing core (wrap-up ends, no-answer, overflow after N s,
// aging), fired in time order by Router::OnTick. Cancelling is lazy: a timer
// carries the generation of what it is about and is ignored when that moved on.
//
// Nearly every deadline is "now + a fixed duration" for its kind (or rule),
// and now only grows, so each kind's deadlines come in order: a FIFO lane per
// kind keeps them at O(1), and a small heap of lane heads picks the earliest.
// A deadline that would break its lane's order (a transferred call's aging
// counts from its first arrival) goes to a general heap instead. With 100,000
// calls waiting this keeps a million pending timers cheap.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <vector>

#include "core/common/time.h"

namespace gosline::routing {

enum class TimerKind : uint8_t { kWrapUpEnd, kNoAnswer, kOverflowAfter, kPromote };

struct Timer {
  Time due;
  uint64_t seq = 0;  // equal deadlines fire in the order they were set
  TimerKind kind = TimerKind::kWrapUpEnd;
  uint32_t target = 0;      // operator or call slot
  uint32_t generation = 0;
  uint32_t rule = 0;        // kOverflowAfter: which rule of the queue
};

class TimerQueue {
 public:
  // A lane for deadlines that come in time order; returns its id.
  uint32_t AddLane();
  void Add(uint32_t lane, Time due, TimerKind kind, uint32_t target, uint32_t generation,
           uint32_t rule = 0);
  // The earliest timer due at or before `now`, removed.
  std::optional<Timer> PopDue(Time now);
  size_t size() const { return size_; }

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  struct Head {
    Time due;
    uint64_t seq;
    uint32_t lane;
  };
  struct HeadLater {
    bool operator()(const Head& a, const Head& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };

  std::vector<std::deque<Timer>> lanes_;
  std::priority_queue<Head, std::vector<Head>, HeadLater> heads_;  // one per non-empty lane
  std::priority_queue<Timer, std::vector<Timer>, Later> out_of_order_;
  uint64_t next_seq_ = 0;
  size_t size_ = 0;
};

}  // namespace gosline::routing
