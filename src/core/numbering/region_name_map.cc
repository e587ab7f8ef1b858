#include "core/numbering/region_name_map.h"

namespace gosline::numbering {
namespace {

std::string Normalize(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

}  // namespace

Status RegionNameMap::Add(std::string_view name, std::string_view code) {
  auto [it, inserted] = codes_.emplace(Normalize(name), std::string(code));
  if (!inserted && it->second != code) {
    return Status::AlreadyExists("region name \"" + it->first + "\" is mapped to both " +
                                 it->second + " and " + std::string(code));
  }
  return Status::Ok();
}

std::optional<std::string_view> RegionNameMap::Find(std::string_view register_name) const {
  if (auto it = codes_.find(Normalize(register_name)); it != codes_.end()) return it->second;
  while (!register_name.empty()) {
    const size_t bar = register_name.find('|');
    if (bar == std::string_view::npos) break;  // the last part was tried as a whole
    if (auto it = codes_.find(Normalize(register_name.substr(0, bar))); it != codes_.end()) {
      return it->second;
    }
    register_name.remove_prefix(bar + 1);
    if (auto it = codes_.find(Normalize(register_name)); it != codes_.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace gosline::numbering
