#include "app/contact_centre/recording_sealer.h"

#include <utility>

namespace gosline::contact_centre {

RecordingSealer::RecordingSealer(CallCentrePort& centre, SealFn seal, ErrorFn on_error)
    : centre_(centre), seal_(std::move(seal)), on_error_(std::move(on_error)),
      thread_([this] { Loop(); }) {}

RecordingSealer::~RecordingSealer() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyOne();
  thread_.join();
}

void RecordingSealer::RecordingSaved(CallId call, std::string path, Duration length) {
  {
    MutexLock lock(mu_);
    pending_.push_back({call, std::move(path), length});
  }
  cv_.NotifyOne();
}

void RecordingSealer::Loop() {
  MutexLock lock(mu_);
  for (;;) {
    while (!stop_ && pending_.empty()) cv_.Wait(mu_);
    if (pending_.empty()) return;  // stopping, and everything queued is done
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    lock.Unlock();
    Result<std::string> sealed = seal_(p.path, p.call);
    if (!sealed.ok() && on_error_) on_error_(p.path, sealed.status());
    centre_.RecordingSaved(p.call, sealed.ok() ? *sealed : p.path, p.length);
    lock.Lock();
  }
}

}  // namespace gosline::contact_centre
