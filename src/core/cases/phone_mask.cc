#include "core/cases/phone_mask.h"

namespace gosline {

std::string MaskPhone(std::string_view p) {
  std::string digits;
  for (char ch : p) {
    if (ch >= '0' && ch <= '9') digits += ch;
  }
  // Russian E.164: +7 DEF NNN-NN-NN -> +7 916 ***-**-67
  if (p.size() == 12 && p.front() == '+' && digits.size() == 11 && digits[0] == '7') {
    return "+7 " + digits.substr(1, 3) + " ***-**-" + digits.substr(9, 2);
  }
  if (digits.size() <= 2) return std::string(digits.size(), '*');
  return std::string(digits.size() - 2, '*') + digits.substr(digits.size() - 2);
}

}  // namespace gosline
