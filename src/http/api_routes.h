// The whole REST API on one router: cases, health and the OpenAPI document
// (registered last, so it describes every other route).
#pragma once

#include <memory>
#include <string>

#include "app/case_service.h"
#include "app/case_visibility.h"
#include "app/contact_centre/contact_centre.h"
#include "app/data_rights_service.h"
#include "http/case_routes.h"
#include "http/health_routes.h"
#include "core/common/status.h"
#include "http/operator_routes.h"
#include "http/router.h"
#include "security/staff_auth.h"
#include "storage/case_store.h"
#include "storage/row_cipher.h"

namespace gosline::http {

// `service`, `store` and `auth` must outlive the router. `version` goes into
// the OpenAPI document's info.version. With `auth`, the sign-in routes
// (auth_routes.h) are added too.
// The operator and queue routes are always there; without `centre` they answer 503.
// `visibility`: which cases an operator sees (R20; app/case_visibility.h).
// `recordings`: where recordings are played from (R30; case_routes.h).
// `draining`: true while the node drains (R4): /readyz answers 503 then.
Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version, security::StaffAuth* auth = nullptr,
                    contact_centre::ContactCentre* centre = nullptr,
                    DataRightsService* data_rights = nullptr,
                    std::shared_ptr<const CaseVisibility> visibility = nullptr,
                    RecordingPlayback recordings = {},
                    RegionNameOf region_name = {},
                    DrainingCheck draining = {});

}  // namespace gosline::http
