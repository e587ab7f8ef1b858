// Citizens' data rights over HTTP (R24):
//   POST /api/v1/citizens/consents              record a consent (operator)
//   GET  /api/v1/citizens/consents?phone=...     a phone's consents (operator; compliance reads)
//   POST /api/v1/data-requests                   open an export/correction/deletion request
//   GET  /api/v1/data-requests/{number}/export   everything held about the phone (compliance)
//   POST /api/v1/data-requests/{number}/deletion run a deletion request (compliance)
// Without a service the routes answer 503. Every call is audited by the
// router's audit hook, and export/deletion again with counts by the service.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "app/data_rights_service.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

Status AddDataRightsRoutes(Router& router, DataRightsService* service);

// Components/schemas for openapi.cc.
void AddDataRightsSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
