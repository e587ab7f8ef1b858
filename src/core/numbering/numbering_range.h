// One row of the regulator's numbering register (Rossvyaz / Минцифры): a block
// of ten-digit national numbers held by one operator in one region.
#pragma once

#include <cstdint>
#include <string>

namespace gosline::numbering {

struct NumberingRange {
  int code = 0;          // ABC (geographic) or DEF (mobile) code: 495, 916
  uint32_t from = 0;     // first subscriber number of the block, 7 digits
  uint32_t to = 0;       // last one, inclusive
  std::string operator_name;
  std::string region_name;  // as the register writes it: "г. Москва и Московская область"
  int line = 0;          // 1-based line in the CSV it came from, for messages

  // Ten-digit national numbers: code * 10^7 + subscriber number.
  uint64_t first_national() const { return uint64_t(code) * 10'000'000 + from; }
  uint64_t last_national() const { return uint64_t(code) * 10'000'000 + to; }
};

}  // namespace gosline::numbering
