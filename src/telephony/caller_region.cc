#include "telephony/caller_region.h"

#include <fstream>
#include <sstream>

#include "core/numbering/numbering_csv.h"

namespace gosline::telephony {

Result<std::shared_ptr<const numbering::NumberingPlan>> LoadNumberingPlan(const Config& config) {
  const std::string& path = config.routing.numbering_csv;
  if (path.empty()) return Status::NotFound("routing.numbering.ranges_csv is not set");
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::IoError("cannot open the numbering register " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Result<std::vector<numbering::NumberingRange>> ranges = numbering::ParseNumberingCsv(text.str());
  if (!ranges.ok()) return Status::InvalidArgument(path + ": " + ranges.status().message());
  numbering::RegionNameMap names;
  for (const Region& region : config.regions) {
    GOSLINE_RETURN_IF_ERROR(names.Add(region.name, region.code));
  }
  for (const auto& [name, code] : config.routing.numbering_region_names) {
    GOSLINE_RETURN_IF_ERROR(names.Add(name, code));
  }
  Result<numbering::NumberingPlan> plan =
      numbering::NumberingPlan::Build(std::move(ranges).value(), names);
  if (!plan.ok()) return Status::InvalidArgument(path + ": " + plan.status().message());
  return std::make_shared<const numbering::NumberingPlan>(std::move(plan).value());
}

std::function<std::string(const std::string&)> RegionOf(
    std::shared_ptr<const numbering::NumberingPlan> plan) {
  return [plan = std::move(plan)](const std::string& e164) -> std::string {
    std::optional<numbering::NumberInfo> info = plan->Lookup(e164);
    return info ? std::string(info->region_code) : std::string();
  };
}

}  // namespace gosline::telephony
