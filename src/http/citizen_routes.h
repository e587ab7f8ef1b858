// The citizens' API for the mobile apps and the portal (R14, R16, R24, R26):
//   GET  /api/v1/citizen/status              the line: open or not, estimated wait per topic
//   GET  /api/v1/citizen/cases               my cases, open first
//   GET  /api/v1/citizen/cases/{number}      one of my cases with its history
//   POST /api/v1/citizen/callbacks           call me back (topic, phone, window)
//   POST /api/v1/citizen/consents            record my consent for a channel
//   POST /api/v1/citizen/data-requests       export, correct or delete my data
//   POST /api/v1/citizen/call-contexts       a code to key in when I call
// Citizens sign in at the state identity provider: every route takes
// "Authorization: Bearer <access token>" (security/oidc_token_verifier.h)
// and answers 401 with a JSON error for a token that does not verify. The
// staff authorizer treats the routes as public (no staff credentials); the
// token is checked here. Limits per address and per citizen answer 429.
// Every POST honours Idempotency-Key (idempotent_post.h).
#pragma once

#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "app/citizen_service.h"
#include "core/common/clock.h"
#include "core/common/status.h"
#include "http/citizen_rate_limiter.h"
#include "http/public_status_routes.h"
#include "http/router.h"
#include "security/oidc_token_verifier.h"
#include "storage/idempotency_store.h"

namespace gosline::http {

inline constexpr const char* kCitizenApiPrefix = "/api/v1/citizen/";

struct CitizenApi {
  CitizenService* service = nullptr;                          // null: 503
  std::shared_ptr<security::OidcTokenVerifier> verifier;     // null: 503 (no provider configured)
  IdempotencyStore* idempotency = nullptr;
  const Clock* clock = nullptr;
  ConfigProvider config;
  const EstimatedWaitSource* waits = nullptr;
  std::shared_ptr<CitizenRateLimiter> limits;
  // Told of every case a citizen reads (R21): actor, action, object.
  std::function<void(const std::string&, const std::string&, const std::string&)> audit;
};

Status AddCitizenRoutes(Router& router, std::shared_ptr<const CitizenApi> api);

// Components/schemas for openapi.cc.
void AddCitizenSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
