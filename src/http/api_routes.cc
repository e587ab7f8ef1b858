#include "http/api_routes.h"

#include "http/case_routes.h"
#include "http/health_routes.h"
#include "http/openapi.h"

namespace gosline::http {

Status AddApiRoutes(Router& router, CaseService& service, CaseStore& store,
                    const std::string& version) {
  GOSLINE_RETURN_IF_ERROR(AddHealthRoutes(router, store));
  GOSLINE_RETURN_IF_ERROR(AddCaseRoutes(router, service));
  return AddOpenApiRoute(router, version);
}

}  // namespace gosline::http
