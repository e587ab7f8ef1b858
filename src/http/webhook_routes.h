// Webhook administration (R27), for administrators:
//   GET    /api/v1/webhooks/subscriptions              the subscriptions (secrets masked)
//   POST   /api/v1/webhooks/subscriptions              subscribe a URL to events; the secret is shown once
//   DELETE /api/v1/webhooks/subscriptions/{id}         unsubscribe (pending deliveries dropped)
//   GET    /api/v1/webhooks/deliveries?state=dead      deliveries by state (dead letters first of all)
//   POST   /api/v1/webhooks/deliveries/{id}/replay     send a dead-lettered delivery again
// Without a store the routes answer 503.
#pragma once

#include <functional>

#include <nlohmann/json_fwd.hpp>

#include "core/common/clock.h"
#include "core/common/status.h"
#include "http/router.h"
#include "storage/webhook_store.h"

namespace gosline::http {

struct WebhookAdmin {
  WebhookStore* store = nullptr;
  const Clock* clock = nullptr;
  std::function<void()> wake;  // the dispatcher looks at the outbox (a replay)
};

Status AddWebhookRoutes(Router& router, WebhookAdmin admin);

void AddWebhookSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
