// Which lock guards which member, stated in the code and checked by clang's
// -Wthread-safety (scripts/thread-safety-check.sh, run by `make test`).
// Under GCC the macros are empty: the build is the same, only clang checks.
//
// libstdc++'s std::mutex carries no annotations, so the analysis cannot see
// it being taken; gosline::Mutex and gosline::MutexLock are thin annotated
// wrappers, and CondVar waits on a Mutex the caller already holds, so a wait
// loop (`while (!ready_) cv_.Wait(mu_);`) is checked like any other code.
//
//   Mutex mu_;
//   int count_ GOSLINE_GUARDED_BY(mu_) = 0;
//   void BumpLocked() GOSLINE_REQUIRES(mu_);
//   void Bump() GOSLINE_EXCLUDES(mu_) { MutexLock lock(mu_); BumpLocked(); }
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define GOSLINE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GOSLINE_THREAD_ANNOTATION(x)
#endif

// A type that is a lock (the analysis' "capability").
#define GOSLINE_CAPABILITY(name) GOSLINE_THREAD_ANNOTATION(capability(name))
// An RAII type that holds a capability for its lifetime.
#define GOSLINE_SCOPED_CAPABILITY GOSLINE_THREAD_ANNOTATION(scoped_lockable)
// The member is read and written only with the lock held.
#define GOSLINE_GUARDED_BY(x) GOSLINE_THREAD_ANNOTATION(guarded_by(x))
// What the pointer points to is read and written only with the lock held.
#define GOSLINE_PT_GUARDED_BY(x) GOSLINE_THREAD_ANNOTATION(pt_guarded_by(x))
// The caller must hold the lock(s).
#define GOSLINE_REQUIRES(...) GOSLINE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// The caller must not hold the lock(s): the function takes them itself.
#define GOSLINE_EXCLUDES(...) GOSLINE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// The function takes / releases the lock(s) (no argument: `this`).
#define GOSLINE_ACQUIRE(...) GOSLINE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define GOSLINE_RELEASE(...) GOSLINE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define GOSLINE_TRY_ACQUIRE(...) GOSLINE_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// Lock order: this lock is taken before / after the named one(s) when both are held.
#define GOSLINE_ACQUIRED_BEFORE(...) GOSLINE_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define GOSLINE_ACQUIRED_AFTER(...) GOSLINE_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
// Tells the analysis the lock is held here (checked at run time by nobody).
#define GOSLINE_ASSERT_CAPABILITY(x) GOSLINE_THREAD_ANNOTATION(assert_capability(x))
// Opts one function out, for patterns the analysis cannot follow; say why beside it.
#define GOSLINE_NO_THREAD_SAFETY_ANALYSIS GOSLINE_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace gosline {

// std::mutex with annotations. lock()/unlock()/try_lock() keep the standard
// names so std::lock_guard and std::scoped_lock still work where needed.
class GOSLINE_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() GOSLINE_ACQUIRE() { mu_.lock(); }
  void unlock() GOSLINE_RELEASE() { mu_.unlock(); }
  bool try_lock() GOSLINE_TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Tells the analysis this lock is held: for a callback that is only ever
  // run with it held (the analysis checks each lambda on its own). Not
  // checked at run time.
  void AssertHeld() const GOSLINE_ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for its scope. Unlock()/Lock() let a scope step out of the
// lock for slow work (a write, a callback) and take it back; the destructor
// releases it only if held.
class GOSLINE_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) GOSLINE_ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() GOSLINE_RELEASE() {
    if (held_) mu_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() GOSLINE_RELEASE() {
    mu_.unlock();
    held_ = false;
  }
  void Lock() GOSLINE_ACQUIRE() {
    mu_.lock();
    held_ = true;
  }

 private:
  Mutex& mu_;
  bool held_ = true;
};

// std::condition_variable over a Mutex the caller holds. Each wait may wake
// spuriously: call it in a loop that re-checks the condition under the lock.
class CondVar {
 public:
  void Wait(Mutex& mu) GOSLINE_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // False when the deadline passed.
  template <class Clock, class Duration>
  bool WaitUntil(Mutex& mu, const std::chrono::time_point<Clock, Duration>& deadline)
      GOSLINE_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    const bool woken = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  template <class Rep, class Period>
  bool WaitFor(Mutex& mu, const std::chrono::duration<Rep, Period>& timeout) GOSLINE_REQUIRES(mu) {
    return WaitUntil(mu, std::chrono::steady_clock::now() + timeout);
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace gosline
