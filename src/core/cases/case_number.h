// Case numbers a citizen can dictate over the phone: 10 digits, the last a
// Damm check digit, which catches every single-digit error and every swap of
// two adjacent digits (Luhn misses 09<->90). Numbers are derived from the
// storage sequence, so they are unique without a second index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gosline {

class CaseNumber {
 public:
  static constexpr int kBodyDigits = 9;
  static constexpr int64_t kMaxSequence = 999'999'999;

  // sequence in [1, kMaxSequence] -> "0000000421" style (9 digits + check).
  static std::string FromSequence(int64_t sequence);
  // The check digit for a string of decimal digits.
  static int CheckDigit(std::string_view digits);
  // True when text is exactly 10 digits with a correct check digit.
  static bool IsValid(std::string_view text);
  // Accepts what people type or say: spaces, dashes and dots are ignored.
  // Returns the canonical 10 digits when valid.
  static std::optional<std::string> Normalize(std::string_view text);
};

}  // namespace gosline
