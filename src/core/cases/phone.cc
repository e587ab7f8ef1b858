#include "core/cases/phone.h"

namespace gosline {
namespace {

constexpr size_t kMaxInputLength = 64;  // anything longer is not a phone number
constexpr size_t kRussianNationalDigits = 10;
constexpr size_t kMinInternationalDigits = 8;
constexpr size_t kMaxInternationalDigits = 15;  // E.164 maximum

// Characters people put between digits when writing a number down.
bool IsSeparator(char ch) { return ch == ' ' || ch == '-' || ch == '(' || ch == ')' || ch == '.'; }

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view text) {
  if (text.size() > kMaxInputLength) return std::nullopt;
  bool plus = false;
  bool seen_digit = false;
  std::string digits;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      digits.push_back(ch);
      seen_digit = true;
    } else if (ch == '+') {
      // Only one leading '+' before any digit.
      if (plus || seen_digit) return std::nullopt;
      plus = true;
    } else if (!IsSeparator(ch)) {
      return std::nullopt;
    }
  }

  if (plus) {
    if (!digits.empty() && digits[0] == '7') {
      // +7 is the Russian (and Kazakh) zone: always 10 national digits.
      if (digits.size() != 1 + kRussianNationalDigits) return std::nullopt;
      return "+" + digits;
    }
    if (digits.size() < kMinInternationalDigits || digits.size() > kMaxInternationalDigits ||
        digits[0] == '0') {
      return std::nullopt;
    }
    return "+" + digits;
  }

  // Without '+': the Russian trunk prefix 8 or the country code 7.
  if (digits.size() == 1 + kRussianNationalDigits && (digits[0] == '8' || digits[0] == '7')) {
    return "+7" + digits.substr(1);
  }
  return std::nullopt;
}

}  // namespace gosline
