// The set of dialled numbers that enter the service (R1). Callers' equipment
// presents the same number in several shapes ("+74957274747", "74957274747",
// "8-800-100-70-10"), so numbers are compared by their digits only.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gosline::telephony {

class DialledNumbers {
 public:
  explicit DialledNumbers(const std::vector<std::string>& numbers);

  bool Contains(std::string_view request_uri_user) const;

  // Digits of a number with visual separators and a leading '+' removed; ""
  // when something else is in it (letters, '*', '#').
  static std::string Canonical(std::string_view number);

 private:
  std::set<std::string> canonical_;
};

}  // namespace gosline::telephony
