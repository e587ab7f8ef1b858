// Block and allow lists of caller numbers (R25): exact numbers and prefixes.
// Entries are E.164 ("+74957274747") or a prefix ending in '*' ("+7800*").
// Numbers in other shapes ("8 495 ...") are normalised on entry.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/common/status.h"

namespace gosline::security {

class NumberList {
 public:
  // InvalidArgument (field "number") for anything that is neither.
  Status Add(std::string_view entry);
  // `number` is E.164 as NormalizePhone gives it.
  bool Matches(std::string_view number) const;
  size_t size() const { return exact_.size() + prefixes_.size(); }

 private:
  std::unordered_set<std::string> exact_;
  std::unordered_set<std::string> prefixes_;  // without the '*'
};

}  // namespace gosline::security
