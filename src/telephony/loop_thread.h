// "On my loop thread" checks for the telephony's event loops (the media loop,
// the SIP endpoint): each records which thread runs it, and the methods that
// touch loop-owned state without a lock assert they are called there. A call
// from another thread is a data race that may work for months; in debug
// builds it aborts at once, naming the method.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace gosline::telephony {

// The thread that currently owns a loop's state: the loop thread while it
// runs; the thread that stopped it while Stop finishes the loop's last work.
class LoopThreadOwner {
 public:
  void BecomeCurrentThread() { id_.store(std::this_thread::get_id()); }
  void Clear() { id_.store(std::thread::id()); }
  bool IsCurrentThread() const { return id_.load() == std::this_thread::get_id(); }

 private:
  std::atomic<std::thread::id> id_{};
};

[[noreturn]] inline void AbortOffLoopThread(const char* function) {
  std::fprintf(stderr, "gosline: %s called off its loop thread (post it to the loop instead)\n",
               function);
  std::abort();
}

}  // namespace gosline::telephony

// At the entry of a method that must run on `loop`'s thread (loop: an object
// with IsOnLoopThread()). Debug builds only: release builds pay nothing.
#ifdef NDEBUG
#define GOSLINE_ASSERT_ON_LOOP_THREAD(loop) ((void)0)
#else
#define GOSLINE_ASSERT_ON_LOOP_THREAD(loop)                                        \
  do {                                                                             \
    if (!(loop).IsOnLoopThread()) ::gosline::telephony::AbortOffLoopThread(__PRETTY_FUNCTION__); \
  } while (0)
#endif
