#include "core/ivr/ivr_trace.h"

#include <utility>

namespace gosline {

void IvrTrace::AddStep(Time at, const std::string& node, std::string event) {
  if (steps.size() >= kMaxSteps) {
    truncated = true;
    return;
  }
  steps.push_back(IvrTraceStep{at, node, std::move(event)});
}

void IvrTrace::AddDigit(char digit) {
  if (digits.size() >= kMaxDigits) {
    truncated = true;
    return;
  }
  digits.push_back(digit);
}

}  // namespace gosline
