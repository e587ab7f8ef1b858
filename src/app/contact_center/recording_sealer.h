// Seals each finished recording before the contact centre links it to the
// case (R22, R30). Sits between telephony and the centre as a CallCenterPort:
// every report passes straight through, except RecordingSaved, which is
// sealed on this object's own thread (a long call's WAV is megabytes of
// crypto: neither the media loop nor the routing lock should wait for it) and
// then reported with the sealed file's path. The seal is bound to the call's
// case (R30), so `seal` is told the call as well. A recording that cannot be
// sealed is reported as it is, with the error logged by `on_error`, so no
// conversation is ever lost.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/contact_center/call_center_port.h"
#include "core/common/status.h"

namespace gosline::contact_center {

class RecordingSealer final : public CallCenterPort {
 public:
  // seal: the clear WAV's path and its call -> the sealed file's path (it
  // removes the clear one).
  using SealFn = std::function<Result<std::string>(const std::string& path, CallId call)>;
  using ErrorFn = std::function<void(const std::string& path, const Status& error)>;

  RecordingSealer(CallCenterPort& centre, SealFn seal, ErrorFn on_error);
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
  void RecordingSaved(CallId call, std::string path, Duration length) override;

 private:
  struct Pending {
    CallId call;
    std::string path;
    Duration length;
  };
  void Loop();

  CallCenterPort& centre_;
  SealFn seal_;
  ErrorFn on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> pending_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gosline::contact_center
