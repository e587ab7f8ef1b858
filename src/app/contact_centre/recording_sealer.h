// Seals each finished recording before the contact centre links it to the
// case (R22, R30). Sits between telephony and the centre as a CallCentrePort:
// every report passes straight through, except RecordingSaved, which is
// sealed on this object's own thread (a long call's WAV is megabytes of
// crypto: neither the media loop nor the routing lock should wait for it) and
// then reported with the sealed file's path. The seal is bound to the call's
// case (R30), so `seal` is told the call as well. A recording that cannot be
// sealed is reported as it is, with the error logged by `on_error`, so no
// conversation is ever lost.
//
// Threads: the CallCentrePort calls come from telephony's threads and pass
// through; RecordingSaved only queues under mu_; the sealing thread (made
// by the constructor, joined by the destructor) seals and reports them.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "app/contact_centre/call_centre_port.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"

namespace gosline::contact_centre {

class RecordingSealer final : public CallCentrePort {
 public:
  // seal: the clear WAV's path and its call -> the sealed file's path (it
  // removes the clear one).
  using SealFn = std::function<Result<std::string>(const std::string& path, CallId call)>;
  using ErrorFn = std::function<void(const std::string& path, const Status& error)>;

  RecordingSealer(CallCentrePort& centre, SealFn seal, ErrorFn on_error);
  ~RecordingSealer() override;  // seals what is queued, then stops
  RecordingSealer(const RecordingSealer&) = delete;
  RecordingSealer& operator=(const RecordingSealer&) = delete;

  void CallEnqueued(WaitingCall call, Time now) override { centre_.CallEnqueued(std::move(call), now); }
  void OperatorAnswered(CallId call, Time now) override { centre_.OperatorAnswered(call, now); }
  void OperatorRingFailed(CallId call, std::string reason, Time now) override {
    centre_.OperatorRingFailed(call, std::move(reason), now);
  }
  void CallerHungUp(CallId call, Time now) override { centre_.CallerHungUp(call, now); }
  void OperatorHungUp(CallId call, Time now) override { centre_.OperatorHungUp(call, now); }
  void CallbackRequested(CallId call, Time now) override { centre_.CallbackRequested(call, now); }
  void RecordingSaved(CallId call, std::string path, Duration length) override GOSLINE_EXCLUDES(mu_);

 private:
  struct Pending {
    CallId call;
    std::string path;
    Duration length;
  };
  void Loop() GOSLINE_EXCLUDES(mu_);

  CallCentrePort& centre_;
  SealFn seal_;
  ErrorFn on_error_;
  Mutex mu_;
  CondVar cv_;
  std::deque<Pending> pending_ GOSLINE_GUARDED_BY(mu_);
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gosline::contact_centre
