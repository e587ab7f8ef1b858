// Reading several keys (a service code, a case number): when the entry is
// complete, wrong or missing. Pure rules; the step owns the timer.
#pragma once

#include <string>

#include "core/ivr/ivr_model.h"

namespace gosline {

enum class DigitEntry {
  kNeedMore,  // wait for the next key (inter-digit timeout)
  kComplete,  // collected holds the entry (without the terminator)
  kInvalid,   // a wrong key, or too short an entry
  kNoInput,   // nothing was keyed before the timeout
};

// A key was pressed; appends decimal digits to `collected`.
DigitEntry OnEntryKey(const IvrDigitInput& input, std::string& collected, char key);
// The timer ran out.
DigitEntry OnEntryTimeout(const IvrDigitInput& input, const std::string& collected);
// How long to wait for the next key: first-digit or inter-digit timeout.
Duration EntryTimeout(const IvrDigitInput& input, const std::string& collected);

}  // namespace gosline
