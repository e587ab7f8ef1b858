// Region names as the numbering register writes them ("Новосибирская обл.",
// "г. Москва и Московская область", "г.о. Казань|Республика Татарстан") to
// federal subject codes ("54", "77", "16"). The register has no codes, so the
// mapping is configuration: the region list's own names plus explicit aliases.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::numbering {

class RegionNameMap {
 public:
  // AlreadyExists when `name` is mapped to a different code already.
  Status Add(std::string_view name, std::string_view code);
  // The code for `register_name`: the whole name first, then each part of a
  // "|"-separated name (newer files write a district|region path). Spaces are
  // trimmed and runs of spaces count as one.
  std::optional<std::string_view> Find(std::string_view register_name) const;
  size_t size() const { return codes_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> codes_;
};

}  // namespace gosline::numbering
