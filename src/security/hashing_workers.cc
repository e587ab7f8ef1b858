#include "security/hashing_workers.h"

#include <algorithm>
#include <utility>

namespace gosline::security {

// One job and its completion, which the waiting caller watches.
struct HashingWorkers::Job {
  std::function<void()> run;
  bool done = false;  // guarded by the pool's mu_
  CondVar finished;
};

HashingWorkers::HashingWorkers(int workers, size_t max_waiting)
    : capacity_(static_cast<size_t>(std::max(1, workers)) + max_waiting) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { Work(); });
}

HashingWorkers::~HashingWorkers() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  for (std::thread& t : threads_) t.join();
}

Status HashingWorkers::Run(const std::function<void()>& job) {
  auto entry = std::make_shared<Job>();
  entry->run = job;
  MutexLock lock(mu_);
  if (stopping_) return Status::Unavailable("shutting down");
  if (in_flight_ >= capacity_) {
    return Status::Unavailable("too many sign-ins at once; try again in a few seconds");
  }
  ++in_flight_;
  queue_.push_back(entry);
  wake_.NotifyOne();
  while (!entry->done) entry->finished.Wait(mu_);
  return Status::Ok();
}

size_t HashingWorkers::in_flight() const {
  MutexLock lock(mu_);
  return in_flight_;
}

void HashingWorkers::Work() {
  MutexLock lock(mu_);
  while (true) {
    while (queue_.empty() && !stopping_) wake_.Wait(mu_);
    if (queue_.empty()) return;  // stopping, nothing left
    std::shared_ptr<Job> job = std::move(queue_.front());
    queue_.pop_front();
    lock.Unlock();
    job->run();  // the slow part, outside the lock
    lock.Lock();
    job->done = true;
    --in_flight_;
    job->finished.NotifyAll();
  }
}

}  // namespace gosline::security
