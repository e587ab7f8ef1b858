// The one place time enters: adapters read a Clock and pass Time into the
// core, so rules stay testable and replayable. This header holds only the
// interface and the manual clock; reading the system clock is an adapter's
// job (core/common/system_clock.h), so pure code cannot reach it by accident.
#pragma once

#include "core/common/time.h"

namespace gosline {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// For tests and replay: time moves only when told.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : now_(start) {}
  Time Now() const override { return now_; }
  void Advance(Duration d) { now_ += d; }
  void Set(Time t) { now_ = t; }

 private:
  Time now_;
};

}  // namespace gosline
