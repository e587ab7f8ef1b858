// The supervisor's view of the queues (R3, R13, R18): per queue the
// calls waiting, the longest wait, the estimated wait, the operators by state
// and the live service level and abandonment figures.
#pragma once

#include "app/contact_centre/contact_centre.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// `centre` may be null: 503, as in operator_routes.h.
Status AddQueueRoutes(Router& router, contact_centre::ContactCentre* centre);

}  // namespace gosline::http
