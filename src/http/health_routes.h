// Liveness and readiness for load balancers and orchestration (R4):
// /healthz answers while the process runs; /readyz only while storage answers
// and the node is not draining.
#pragma once

#include <functional>

#include "core/common/status.h"
#include "http/router.h"
#include "storage/case_store.h"

namespace gosline::http {

// True while the node drains (SIGTERM with cluster.drain_seconds): /readyz
// then answers 503, so an HTTP load balancer sends new work elsewhere as the
// SIP front does. Called on HTTP threads.
using DrainingCheck = std::function<bool()>;

// `store` must outlive the router.
Status AddHealthRoutes(Router& router, CaseStore& store, DrainingCheck draining = {});

}  // namespace gosline::http
