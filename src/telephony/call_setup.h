// What the server answers new calls with: the dialled numbers that enter the
// service, the flow each answered call runs (the IVR) and the prompts it
// plays. Immutable once made; a configuration change (Reconfigure) replaces
// the whole of it, and every call keeps the setup it was admitted with, so a
// call in progress finishes on the IVR it started with.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "core/common/thread_annotations.h"
#include "telephony/call_flow.h"
#include "telephony/dialled_numbers.h"
#include "telephony/prompt_library.h"

namespace gosline::telephony {

struct CallSetup {
  DialledNumbers numbers;
  std::function<std::unique_ptr<CallFlow>()> make_flow;  // any thread
  std::shared_ptr<const PromptLibrary> prompts;
};

// The current setup: read by the SIP thread per INVITE, replaced from any
// thread. The lock covers the pointer copy only, never synthesis or a call's
// work, and the media thread never takes it (calls carry their own copy).
// Threads: any; mu_ guards current_ only.
class CallSetupSlot {
 public:
  std::shared_ptr<const CallSetup> Current() const {
    MutexLock lock(mu_);
    return current_;
  }
  void Replace(std::shared_ptr<const CallSetup> next) {
    std::shared_ptr<const CallSetup> previous;  // released outside the lock
    MutexLock lock(mu_);
    previous = std::exchange(current_, std::move(next));
  }

 private:
  mutable Mutex mu_;
  std::shared_ptr<const CallSetup> current_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::telephony
