#include "core/numbering/numbering_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/numbering/national_number.h"

namespace gosline::numbering {
namespace {

std::string Describe(const NumberingRange& r) {
  return std::to_string(r.first_national()) + "-" + std::to_string(r.last_national()) +
         " (line " + std::to_string(r.line) + ")";
}

}  // namespace

Result<NumberingPlan> NumberingPlan::Build(std::vector<NumberingRange> ranges,
                                           const RegionNameMap& regions) {
  std::sort(ranges.begin(), ranges.end(), [](const NumberingRange& a, const NumberingRange& b) {
    return a.first_national() < b.first_national();
  });
  NumberingPlan plan;
  std::map<std::pair<std::string, std::string>, uint32_t> holder_index;
  std::set<std::string> unmapped;
  plan.starts_.reserve(ranges.size());
  plan.ends_.reserve(ranges.size());
  plan.holder_of_.reserve(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    const NumberingRange& r = ranges[i];
    if (i > 0 && r.first_national() <= ranges[i - 1].last_national()) {
      return Status::InvalidArgument("numbering range " + Describe(r) + " overlaps " +
                                     Describe(ranges[i - 1]));
    }
    auto [it, inserted] = holder_index.try_emplace({r.region_name, r.operator_name},
                                                   uint32_t(plan.holders_.size()));
    if (inserted) {
      const std::optional<std::string_view> code = regions.Find(r.region_name);
      if (!code) unmapped.insert(r.region_name);
      plan.holders_.push_back({std::string(code.value_or("")), r.region_name, r.operator_name});
    }
    plan.starts_.push_back(r.first_national());
    plan.ends_.push_back(r.last_national());
    plan.holder_of_.push_back(it->second);
  }
  plan.unmapped_.assign(unmapped.begin(), unmapped.end());
  return plan;
}

std::optional<NumberInfo> NumberingPlan::Lookup(std::string_view number) const {
  const std::optional<uint64_t> national = ParseNationalNumber(number);
  if (!national) return std::nullopt;
  return LookupNational(*national);
}

std::optional<NumberInfo> NumberingPlan::LookupNational(uint64_t national_number) const {
  // The last range starting at or before the number; it holds the number if
  // the number is not past its end (ranges do not overlap).
  auto it = std::upper_bound(starts_.begin(), starts_.end(), national_number);
  if (it == starts_.begin()) return std::nullopt;
  const size_t i = size_t(it - starts_.begin()) - 1;
  if (national_number > ends_[i]) return std::nullopt;
  const Holder& h = holders_[holder_of_[i]];
  return NumberInfo{h.region_code, h.region_name, h.operator_name};
}

}  // namespace gosline::numbering
