#include "http/api_routes.h"

#include "http/auth_routes.h"
#include "http/case_routes.h"
#include "http/health_routes.h"
#include "http/openapi.h"

namespace gosline::http {

Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version, security::StaffAuth* auth) {
  GOSLINE_RETURN_IF_ERROR(AddHealthRoutes(router, store));
  if (auth != nullptr) GOSLINE_RETURN_IF_ERROR(AddAuthRoutes(router, *auth));
  GOSLINE_RETURN_IF_ERROR(AddCaseRoutes(router, service));
  return AddOpenApiRoute(router, version);
}

}  // namespace gosline::http
