// What decides, for one answered call, what the caller hears and what happens
// on each key: the IVR engine (IvrSession, src/core/ivr) behind the same
// events-in / actions-out contract, or the fixed greeting used until a menu is
// configured. Runs on the media thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/ivr/ivr_session.h"

namespace gosline::telephony {

class CallFlow {
 public:
  virtual ~CallFlow() = default;
  virtual std::vector<IvrAction> Start(const CallInfo& call, Time now) = 0;
  virtual std::vector<IvrAction> OnEvent(const IvrEvent& event) = 0;
  // What the caller did in the IVR, for the call record; null for flows without one.
  virtual const IvrTrace* trace() const { return nullptr; }
};

// Plays one prompt over and over until the caller hangs up.
class GreetingCallFlow : public CallFlow {
 public:
  explicit GreetingCallFlow(std::string prompt_key) : prompt_key_(std::move(prompt_key)) {}
  std::vector<IvrAction> Start(const CallInfo& call, Time now) override;
  std::vector<IvrAction> OnEvent(const IvrEvent& event) override;

 private:
  std::string prompt_key_;
  uint64_t next_playback_ = 1;
};

}  // namespace gosline::telephony
