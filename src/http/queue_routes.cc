#include "http/queue_routes.h"

#include <nlohmann/json.hpp>

#include "http/centre_snapshot_json.h"

namespace gosline::http {

Status AddQueueRoutes(Router& router, contact_centre::ContactCentre* centre) {
  Handler list = [centre](const HttpRequest&) -> HttpResponse {
    if (centre == nullptr) return ErrorResponse(503, "unavailable", "the contact centre is not running");
    contact_centre::CentreSnapshot s = centre->Snapshot();
    nlohmann::json items = nlohmann::json::array();
    for (const contact_centre::QueueView& q : s.queues) items.push_back(ToJson(q));
    return JsonResponse(200, {{"at", FormatIso8601(s.at)}, {"items", std::move(items)}});
  };
  return router.Add({Method::kGet, "/api/v1/queues", Role::kSupervisor,
                     {.operation_id = "listQueues",
                      .summary = "Queues now: waiting, longest and estimated wait, operators by "
                                 "state, service level and abandoned calls",
                      .tag = "contact-centre",
                      .response_schema = "QueueList",
                      .errors = {503}},
                     std::move(list)});
}

}  // namespace gosline::http
