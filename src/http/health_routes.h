// Liveness and readiness for load balancers and orchestration (R4):
// /healthz answers while the process runs; /readyz only while storage answers.
#pragma once

#include "core/common/status.h"
#include "http/router.h"
#include "storage/case_store.h"

namespace gosline::http {

// `store` must outlive the router.
Status AddHealthRoutes(Router& router, CaseStore& store);

}  // namespace gosline::http
