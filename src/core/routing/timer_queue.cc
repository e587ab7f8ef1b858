#include "core/routing/timer_queue.h"

namespace gosline::routing {

uint32_t TimerQueue::AddLane() {
  lanes_.emplace_back();
  return uint32_t(lanes_.size() - 1);
}

void TimerQueue::Add(uint32_t lane, Time due, TimerKind kind, uint32_t target, uint32_t generation,
                     uint32_t rule) {
  const Timer t{due, next_seq_++, kind, target, generation, rule};
  ++size_;
  std::deque<Timer>& q = lanes_[lane];
  if (!q.empty() && due < q.back().due) {
    out_of_order_.push(t);
    return;
  }
  q.push_back(t);
  if (q.size() == 1) heads_.push(Head{due, t.seq, lane});
}

std::optional<Timer> TimerQueue::PopDue(Time now) {
  const bool lane_first =
      !heads_.empty() &&
      (out_of_order_.empty() || HeadLater()(Head{out_of_order_.top().due, out_of_order_.top().seq, 0},
                                            heads_.top()));
  if (lane_first) {
    if (heads_.top().due > now) return std::nullopt;
    const uint32_t lane = heads_.top().lane;
    heads_.pop();
    std::deque<Timer>& q = lanes_[lane];
    Timer t = q.front();
    q.pop_front();
    if (!q.empty()) heads_.push(Head{q.front().due, q.front().seq, lane});
    --size_;
    return t;
  }
  if (out_of_order_.empty() || out_of_order_.top().due > now) return std::nullopt;
  Timer t = out_of_order_.top();
  out_of_order_.pop();
  --size_;
  return t;
}

}  // namespace gosline::routing
