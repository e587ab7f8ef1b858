// The citizens' channel in the running line (R26, R27): its stores, the
// identity provider's keys, the citizens' routes, the webhook
// administration routes and the webhook delivery thread, wired by the
// composition root (served_line.cc) in a few calls.
//
// Stores: in the node's SQLite file, except the idempotency keys, which
// follow storage.driver (PostgreSQL: shared by every node, since a retry may
// reach another node). The accounts' case list, the call-context codes and
// the webhook subscriptions and outbox stay per node in SQLite for now: each
// node delivers the events its own changes raised, and with several nodes a
// subscription must be made on each (not yet shared).
#pragma once

#include <memory>
#include <string>

#include "app/case_service.h"
#include "app/citizen_service.h"
#include "app/data_rights_service.h"
#include "app/webhook_events.h"
#include "config/config.h"
#include "core/common/clock.h"
#include "http/public_status_routes.h"
#include "http/router.h"
#include "http/webhook_dispatcher.h"
#include "security/audit_log.h"
#include "security/oidc_token_verifier.h"
#include "storage/call_outcome_store.h"
#include "storage/citizen_channel_store.h"
#include "storage/idempotency_store.h"
#include "storage/postgres/postgres_database.h"
#include "storage/webhook_store.h"

namespace gosline::cli {

class CitizenChannel {
 public:
  // Opens the stores and tells `cases` to report its changes to the webhooks.
  static Result<std::unique_ptr<CitizenChannel>> Open(const Config& config,
                                                      std::shared_ptr<PostgresDatabase> postgres,
                                                      CaseService& cases, const Clock& clock);
  ~CitizenChannel();

  // The centre's outcome store, reporting call.ended to the webhooks.
  std::unique_ptr<CallOutcomeStore> WrapOutcomes(std::unique_ptr<CallOutcomeStore> outcomes);

  // The citizens' routes (503 without citizen_api.issuer) and the webhook
  // administration; `data_rights` must outlive the router.
  Status AddRoutes(http::Router& router, DataRightsService* data_rights, http::ConfigProvider config,
                   const http::EstimatedWaitSource& waits, security::AuditLog& audit);

  // The delivery thread: started with the line, stopped after HTTP.
  void Start();
  void Stop();

  // For the IVR: the context of a code a caller keyed in (used up).
  Result<std::optional<CallContext>> TakeCallContext(const std::string& code);

 private:
  CitizenChannel(const Config& config, CaseService& cases, const Clock& clock);

  const CitizenApiSettings settings_;
  CaseService& cases_;
  const Clock& clock_;
  std::unique_ptr<IdempotencyStore> idempotency_;
  std::unique_ptr<CitizenChannelStore> channel_;
  std::unique_ptr<WebhookStore> webhooks_;
  std::unique_ptr<http::WebhookDispatcher> dispatcher_;
  std::unique_ptr<WebhookEvents> events_;
  std::unique_ptr<CitizenService> service_;
  std::shared_ptr<security::OidcTokenVerifier> verifier_;
};

}  // namespace gosline::cli
