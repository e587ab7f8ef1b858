// The wall clock. Kept apart from core/common/clock.h because reading the
// system clock is I/O: only the composition root (cli/serve_command, the
// commands and test servers) and adapters construct one and hand it down as
// a `const Clock&`; core code must never include this header.
#pragma once

#include <chrono>

#include "core/common/clock.h"

namespace gosline {

class SystemClock final : public Clock {
 public:
  Time Now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
};

}  // namespace gosline
