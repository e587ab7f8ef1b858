// Deadlines of the routing core (wrap-up ends, no-answer, overflow after N s,
// aging), fired in time order by Router::OnTick. Cancelling is lazy: a timer
// carries the generation of what it is about and is ignored when that moved on.
#pragma once

#include <cstdint>
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
  void Add(Time due, TimerKind kind, uint32_t target, uint32_t generation, uint32_t rule = 0) {
    heap_.push(Timer{due, next_seq_++, kind, target, generation, rule});
  }
  // The earliest timer due at or before `now`, removed.
  std::optional<Timer> PopDue(Time now) {
    if (heap_.empty() || heap_.top().due > now) return std::nullopt;
    Timer t = heap_.top();
    heap_.pop();
    return t;
  }
  size_t size() const { return heap_.size(); }

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  std::priority_queue<Timer, std::vector<Timer>, Later> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace gosline::routing
