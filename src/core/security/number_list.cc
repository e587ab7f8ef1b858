#include "core/security/number_list.h"

#include <algorithm>

#include "core/cases/phone.h"

namespace gosline::security {
namespace {
constexpr size_t kMaxE164 = 16;  // '+' and 15 digits
}

Status NumberList::Add(std::string_view entry) {
  if (!entry.empty() && entry.back() == '*') {
    std::string_view prefix = entry.substr(0, entry.size() - 1);
    bool digits = prefix.size() >= 2 && prefix.size() <= kMaxE164 && prefix[0] == '+' &&
                  std::all_of(prefix.begin() + 1, prefix.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      return Status::InvalidArgument("a number prefix is '+' and digits, then '*'", "number");
    }
    prefixes_.insert(std::string(prefix));
    return Status::Ok();
  }
  std::optional<std::string> number = NormalizePhone(entry);
  if (!number) return Status::InvalidArgument("not a phone number", "number");
  exact_.insert(*number);
  return Status::Ok();
}

bool NumberList::Matches(std::string_view number) const {
  if (number.size() > kMaxE164) return false;
  std::string key(number);
  if (exact_.count(key) > 0) return true;
  // Every prefix of the number, longest first: at most 16 look-ups.
  for (size_t len = key.size(); len >= 2; --len) {
    if (prefixes_.count(key.substr(0, len)) > 0) return true;
  }
  return false;
}

}  // namespace gosline::security
