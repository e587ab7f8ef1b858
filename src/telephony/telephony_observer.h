// Optional listener for what happens in calls (digits, queue entries), for
// logs, metrics and the end-to-end tests. Called from the media thread; keep
// it quick.
#pragma once

#include <string>

#include "core/ivr/ivr_session.h"
#include "telephony/media_call.h"

namespace gosline::telephony {

class TelephonyObserver {
 public:
  virtual ~TelephonyObserver() = default;
  virtual void OnDigit(const std::string& call_id, char digit, DigitSource source) = 0;
  virtual void OnEnteredQueue(const std::string& call_id, const EnterQueueAction& queue) = 0;
};

}  // namespace gosline::telephony
