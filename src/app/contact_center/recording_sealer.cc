#include "app/contact_center/recording_sealer.h"

#include <utility>

namespace gosline::contact_center {

RecordingSealer::RecordingSealer(CallCenterPort& centre, SealFn seal, ErrorFn on_error)
    : centre_(centre), seal_(std::move(seal)), on_error_(std::move(on_error)),
      thread_([this] { Loop(); }) {}

RecordingSealer::~RecordingSealer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void RecordingSealer::RecordingSaved(CallId call, std::string path, Duration length) {
  {
    std::lock_guard lock(mu_);
    pending_.push_back({call, std::move(path), length});
  }
  cv_.notify_one();
}

void RecordingSealer::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and everything queued is done
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    Result<std::string> sealed = seal_(p.path, p.call);
    if (!sealed.ok() && on_error_) on_error_(p.path, sealed.status());
    centre_.RecordingSaved(p.call, sealed.ok() ? *sealed : p.path, p.length);
    lock.lock();
  }
}

}  // namespace gosline::contact_center
