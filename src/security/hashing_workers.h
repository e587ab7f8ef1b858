// A small, bounded pool of threads for password hashing (R19). argon2id is
// slow and memory-hard on purpose (64-256 MiB, about half a second a hash);
// run on the HTTP I/O threads, a burst of sign-in attempts would hold every
// one of them and as much memory. Here at most `workers` hashes run at once
// and at most `max_waiting` more wait; a request beyond that is refused at
// once with Unavailable (HTTP 503), without hashing anything.
//
// Threads: Run from any thread (the caller waits for its job); the workers
// run jobs. mu_ guards queue_, in_flight_ and stopping_.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"

namespace gosline::security {

class HashingWorkers {
 public:
  HashingWorkers(int workers, size_t max_waiting);
  ~HashingWorkers();  // finishes the jobs already taken, joins the workers
  HashingWorkers(const HashingWorkers&) = delete;
  HashingWorkers& operator=(const HashingWorkers&) = delete;

  // Runs `job` on a worker and returns when it is done; Unavailable at once
  // when `workers` jobs run and `max_waiting` wait already.
  [[nodiscard]] Status Run(const std::function<void()>& job) GOSLINE_EXCLUDES(mu_);

  size_t in_flight() const GOSLINE_EXCLUDES(mu_);

 private:
  struct Job;
  void Work() GOSLINE_EXCLUDES(mu_);

  const size_t capacity_;  // workers + max_waiting
  mutable Mutex mu_;
  CondVar wake_;           // a job was queued, or stopping_
  std::deque<std::shared_ptr<Job>> queue_ GOSLINE_GUARDED_BY(mu_);
  size_t in_flight_ GOSLINE_GUARDED_BY(mu_) = 0;  // queued or running
  bool stopping_ GOSLINE_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // started by the constructor, joined by the destructor
};

}  // namespace gosline::security
