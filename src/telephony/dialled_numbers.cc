#include "telephony/dialled_numbers.h"

namespace gosline::telephony {

DialledNumbers::DialledNumbers(const std::vector<std::string>& numbers) {
  for (const std::string& n : numbers) {
    std::string c = Canonical(n);
    if (!c.empty()) canonical_.insert(std::move(c));
  }
}

bool DialledNumbers::Contains(std::string_view user) const {
  // A Request-URI user may carry parameters: "115;phone-context=...".
  user = user.substr(0, user.find(';'));
  std::string c = Canonical(user);
  return !c.empty() && canonical_.count(c) > 0;
}

std::string DialledNumbers::Canonical(std::string_view number) {
  std::string digits;
  for (size_t i = 0; i < number.size(); ++i) {
    char ch = number[i];
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch == '+' && i == 0) {
      continue;
    } else if (ch == '-' || ch == ' ' || ch == '.' || ch == '(' || ch == ')') {
      continue;
    } else {
      return {};
    }
  }
  return digits;
}

}  // namespace gosline::telephony
