// The supervisor's view of the queues (issue 4; R3, R13, R18): per queue the
// calls waiting, the longest wait, the estimated wait, the operators by state
// and the live service level and abandonment figures.
#pragma once

#include "app/contact_center/contact_center.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// `centre` may be null: 503, as in operator_routes.h.
Status AddQueueRoutes(Router& router, contact_center::ContactCenter* centre);

}  // namespace gosline::http
