// The Russian numbering plan as a lookup table: calling number -> federal
// subject and operator (R10). Built once from the register's ranges; lookups
// are a binary search over sorted range starts (no allocation), millions a
// second.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/numbering/numbering_range.h"
#include "core/numbering/region_name_map.h"

namespace gosline::numbering {

struct NumberInfo {
  std::string_view region_code;    // federal subject, "16"; empty when the name is not mapped
  std::string_view region_name;    // as the register writes it
  std::string_view operator_name;  // ПАО "МегаФон"
};

class NumberingPlan {
 public:
  NumberingPlan() = default;  // empty: every lookup misses

  // InvalidArgument when two ranges overlap (naming both lines). Region names
  // the map does not know are kept (lookups give an empty code) and listed by
  // unmapped_region_names(), for the adapter to log.
  static Result<NumberingPlan> Build(std::vector<NumberingRange> ranges,
                                     const RegionNameMap& regions);

  // `number` in any form ParseNationalNumber accepts. The views point into
  // this plan and live as long as it does.
  std::optional<NumberInfo> Lookup(std::string_view number) const;
  std::optional<NumberInfo> LookupNational(uint64_t national_number) const;

  size_t range_count() const { return starts_.size(); }
  const std::vector<std::string>& unmapped_region_names() const { return unmapped_; }

 private:
  struct Holder {
    std::string region_code;
    std::string region_name;
    std::string operator_name;
  };

  // Parallel arrays: the search touches only `starts_`.
  std::vector<uint64_t> starts_;
  std::vector<uint64_t> ends_;
  std::vector<uint32_t> holder_of_;
  std::vector<Holder> holders_;  // distinct (region, operator) pairs
  std::vector<std::string> unmapped_;
};

}  // namespace gosline::numbering
