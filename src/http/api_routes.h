// The whole REST API on one router: cases, health and the OpenAPI document
// (registered last, so it describes every other route).
#pragma once

#include <string>

#include "app/case_service.h"
#include "core/common/status.h"
#include "http/router.h"
#include "security/staff_auth.h"
#include "storage/case_store.h"

namespace gosline::http {

// `service`, `store` and `auth` must outlive the router. `version` goes into
// the OpenAPI document's info.version. With `auth`, the sign-in routes
// (auth_routes.h) are added too.
Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version, security::StaffAuth* auth = nullptr);

}  // namespace gosline::http
