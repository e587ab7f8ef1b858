// Must NOT compile under clang -Wthread-safety -Werror: it reads a
// GUARDED_BY member without its lock. scripts/thread-safety-check.sh
// expects this failure, so the check cannot pass by checking nothing.
#include "core/common/thread_annotations.h"

namespace {

class Counter {
 public:
  int Peek() const { return value_; }  // the mistake: no MutexLock

 private:
  mutable gosline::Mutex mu_;
  int value_ GOSLINE_GUARDED_BY(mu_) = 0;
};

}  // namespace

int main() { return Counter().Peek(); }
