// The one media thread: an epoll loop with a drift-free 20 ms tick (a periodic
// timerfd, so tick n fires at start + n*20 ms however late tick n-1 ran), UDP
// sockets to watch, and tasks posted from other threads. No thread per call:
// every call's sending and receiving runs here.
//
// Threads: Start and Stop from the owner's thread; Post, overloaded() and
// busy_share() from any thread; Watch, Unwatch and the tick and readable
// callbacks on the loop thread only (IsOnLoopThread; debug builds abort
// otherwise). mu_ guards the task queue and wake_fd_ (Stop closes it under
// mu_, so a late Post never writes to a closed or reused descriptor).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <unordered_map>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "telephony/loop_thread.h"

namespace gosline::telephony {

class MediaLoop {
 public:
  static constexpr std::chrono::milliseconds kTick{20};

  // ticks: how many 20 ms ticks passed since the last call (1 normally, more
  // when the loop was late; the handler catches up so RTP timing holds).
  using TickHandler = std::function<void(uint64_t ticks)>;

  explicit MediaLoop(double overload_share = 0.7) : overload_share_(overload_share) {}
  ~MediaLoop();
  MediaLoop(const MediaLoop&) = delete;
  MediaLoop& operator=(const MediaLoop&) = delete;

  // realtime: run the loop thread under SCHED_FIFO, so that the 20 ms tick
  // is not delayed by other processes on a busy machine (as media servers
  // such as FreeSWITCH do). Without the permission it runs normally.
  Status Start(TickHandler on_tick, bool realtime = false);
  void Stop();
  // True on the loop thread (and on the thread finishing Stop, which runs
  // the loop's last tasks after the loop thread ended).
  bool IsOnLoopThread() const { return owner_.IsCurrentThread(); }
  // Whether the loop thread got realtime priority (after Start).
  bool realtime() const { return realtime_.load(); }

  // Any thread.
  void Post(std::function<void()> task) GOSLINE_EXCLUDES(mu_);
  // True while the smoothed share of each tick spent working is above the limit.
  bool overloaded() const { return overloaded_.load(std::memory_order_relaxed); }
  // Smoothed busy share of the tick, 0..1+ (for metrics and the benchmark).
  double busy_share() const { return busy_permille_.load(std::memory_order_relaxed) / 1000.0; }

  // Loop thread only. on_readable runs when fd has data (level-triggered); it
  // must not Unwatch its own fd while running (post that instead).
  Status Watch(int fd, std::function<void()> on_readable);
  void Unwatch(int fd);

 private:
  void Run();
  void RunTasks() GOSLINE_EXCLUDES(mu_);

  double overload_share_;
  // Set by Start before the loop thread exists, read by it, closed by Stop
  // after it ended: owned by the loop thread in between.
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  std::thread thread_;
  LoopThreadOwner owner_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> overloaded_{false};
  std::atomic<bool> realtime_{false};
  std::atomic<uint32_t> busy_permille_{0};
  TickHandler on_tick_;  // set by Start; called on the loop thread
  Mutex mu_;
  int wake_fd_ GOSLINE_GUARDED_BY(mu_) = -1;
  std::deque<std::function<void()>> tasks_ GOSLINE_GUARDED_BY(mu_);
  // Owned by the loop thread; touched only from Watch/Unwatch and Run on it.
  std::unordered_map<int, std::function<void()>> watched_;
};

}  // namespace gosline::telephony
