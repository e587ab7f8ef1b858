#include "core/ivr/ivr_digit_collector.h"

namespace gosline {

DigitEntry OnEntryKey(const IvrDigitInput& input, std::string& collected, char key) {
  const auto length = static_cast<int>(collected.size());
  if (input.terminator != 0 && key == input.terminator) {
    return length >= input.min_digits ? DigitEntry::kComplete : DigitEntry::kInvalid;
  }
  if (key < '0' || key > '9') return DigitEntry::kInvalid;
  if (length >= input.max_digits) return DigitEntry::kInvalid;  // defensive; completes earlier
  collected.push_back(key);
  return static_cast<int>(collected.size()) >= input.max_digits ? DigitEntry::kComplete
                                                                 : DigitEntry::kNeedMore;
}

DigitEntry OnEntryTimeout(const IvrDigitInput& input, const std::string& collected) {
  if (collected.empty()) return DigitEntry::kNoInput;
  // A pause after enough digits ends the entry, as if '#' was pressed.
  return static_cast<int>(collected.size()) >= input.min_digits ? DigitEntry::kComplete
                                                                : DigitEntry::kInvalid;
}

Duration EntryTimeout(const IvrDigitInput& input, const std::string& collected) {
  return collected.empty() ? input.first_digit_timeout : input.inter_digit_timeout;
}

}  // namespace gosline
