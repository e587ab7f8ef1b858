#include "http/api_routes.h"

#include "http/auth_routes.h"
#include "http/case_routes.h"
#include "http/data_rights_routes.h"
#include "http/health_routes.h"
#include "http/openapi.h"
#include "http/operator_routes.h"
#include "http/queue_routes.h"

namespace gosline::http {

Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version, security::StaffAuth* auth,
                    contact_centre::ContactCentre* centre, DataRightsService* data_rights,
                    std::shared_ptr<const CaseVisibility> visibility,
                    RecordingPlayback recordings,
                    RegionNameOf region_name, DrainingCheck draining) {
  GOSLINE_RETURN_IF_ERROR(AddHealthRoutes(router, store, std::move(draining)));
  if (auth != nullptr) GOSLINE_RETURN_IF_ERROR(AddAuthRoutes(router, *auth));
  GOSLINE_RETURN_IF_ERROR(AddCaseRoutes(router, service, std::move(visibility), std::move(recordings)));
  GOSLINE_RETURN_IF_ERROR(AddOperatorRoutes(router, centre, std::move(region_name)));
  GOSLINE_RETURN_IF_ERROR(AddQueueRoutes(router, centre));
  GOSLINE_RETURN_IF_ERROR(AddDataRightsRoutes(router, data_rights));  // R24; 503 without
  return AddOpenApiRoute(router, version);
}

}  // namespace gosline::http
