// The configuration editor's API (administration; R20: role
// administrator): read the editable areas, check a change, apply it. A change
// carries the version it was made against (409 when stale); an invalid one is
// 422 with every problem and its line (in the file, and in the submitted YAML
// text when the edit came as text). Each applied change is audited by the
// editor as config.change (object: the area).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "app/admin/config_editor.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kAdminConfigPath = "/api/v1/admin/config";

// `editor` may be null (the routes then answer 503); it must outlive the router.
Status AddAdminConfigRoutes(Router& router, admin::ConfigEditor* editor);

// The JSON schemas of these routes, for openapi.cc.
void AddAdminConfigSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
