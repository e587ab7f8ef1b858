// The whole REST API on one router: cases, health and the OpenAPI document
// (registered last, so it describes every other route).
#pragma once

#include <string>

#include "app/case_service.h"
#include "core/common/status.h"
#include "http/router.h"
#include "storage/case_store.h"

namespace gosline::http {

// `service` and `store` must outlive the router. `version` goes into the
// OpenAPI document's info.version.
Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version);

}  // namespace gosline::http
