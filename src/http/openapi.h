// The OpenAPI 3.0 document of the API (R26), generated from the route table
// plus the request/response schemas named in each RouteDoc, so a route cannot
// exist without being documented (openapi_test.cc checks both directions).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kOpenApiPath = "/api/v1/openapi.json";

// The whole document for the routes registered so far.
nlohmann::json BuildOpenApiDocument(const Router& router, const std::string& version);

// The component schemas by name ("Case", "Error", ...), as referenced by RouteDoc.
const nlohmann::json& OpenApiSchemas();

// Serves the document at kOpenApiPath. Register it after the other routes; the
// document is built on first request and then cached.
Status AddOpenApiRoute(Router& router, const std::string& version);

}  // namespace gosline::http
