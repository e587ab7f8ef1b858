// The case registry over HTTP: /api/v1/cases and its sub-resources (R14-R17, R26).
#pragma once

#include "app/case_service.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// Until authentication exists the acting user comes from this header.
inline constexpr const char* kActorHeader = "X-Gosline-Actor";
inline constexpr const char* kAnonymousActor = "anonymous";

// Registers the case routes; `service` must outlive the router.
Status AddCaseRoutes(Router& router, CaseService& service);

}  // namespace gosline::http
