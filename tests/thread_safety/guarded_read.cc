// Must compile under clang -Wthread-safety -Werror: the same read as
// unguarded_read.cc with the lock held, a helper that requires it, a wait
// loop on a CondVar, and a scope that steps out of the lock and back.
#include "core/common/thread_annotations.h"

namespace {

class Counter {
 public:
  int Peek() const {
    gosline::MutexLock lock(mu_);
    return PeekLocked();
  }
  void WaitPositive() {
    gosline::MutexLock lock(mu_);
    while (value_ <= 0) cv_.Wait(mu_);
    lock.Unlock();
    lock.Lock();
    value_ = 0;
  }

 private:
  int PeekLocked() const GOSLINE_REQUIRES(mu_) { return value_; }
  mutable gosline::Mutex mu_;
  gosline::CondVar cv_;
  int value_ GOSLINE_GUARDED_BY(mu_) = 0;
};

}  // namespace

int main() { return Counter().Peek(); }
