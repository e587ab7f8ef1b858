#include "core/numbering/national_number.h"

namespace gosline::numbering {

std::optional<uint64_t> ParseNationalNumber(std::string_view text) {
  bool plus = false;
  if (!text.empty() && text.front() == '+') {
    plus = true;
    text.remove_prefix(1);
  }
  uint64_t value = 0;
  int digits = 0;
  int first = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++digits > 11) return std::nullopt;
      if (first < 0) first = c - '0';
      value = value * 10 + uint64_t(c - '0');
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  constexpr uint64_t kTenDigits = 10'000'000'000;
  if (digits == 11 && (first == 7 || (first == 8 && !plus))) return value % kTenDigits;
  if (digits == 10 && !plus) return value;
  return std::nullopt;
}

}  // namespace gosline::numbering
