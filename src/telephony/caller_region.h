// The caller's federal subject from the calling number (R10), for call
// records and the IVR: the numbering register that routing.numbering names
// (a path relative to the working directory), its region names mapped to
// codes by regions[].name and routing.numbering.region_names.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/common/status.h"
#include "core/numbering/numbering_plan.h"

namespace gosline::telephony {

// NotFound when the configuration names no register; other errors when the
// file cannot be read or parsed.
Result<std::shared_ptr<const numbering::NumberingPlan>> LoadNumberingPlan(const Config& config);

// E.164 -> region code ("" when the number is in no range or its region has
// no code). Thread-safe; keeps the plan alive.
std::function<std::string(const std::string&)> RegionOf(
    std::shared_ptr<const numbering::NumberingPlan> plan);

}  // namespace gosline::telephony
