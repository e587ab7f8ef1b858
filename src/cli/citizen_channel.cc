#include "cli/citizen_channel.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "app/call_ended_events.h"
#include "http/citizen_routes.h"
#include "http/http_client.h"
#include "http/idempotent_post.h"
#include "http/webhook_routes.h"
#include "storage/postgres/postgres_idempotency_store.h"
#include "storage/sqlite/sqlite_citizen_channel_store.h"
#include "storage/sqlite/sqlite_idempotency_store.h"
#include "storage/sqlite/sqlite_webhook_store.h"

namespace gosline::cli {
namespace {

constexpr size_t kMaxJwksBytes = 1 << 20;

Result<std::string> ReadJwksFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read the JWKS file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxJwksBytes) return Status::InvalidArgument("the JWKS file is over 1 MiB");
  return text.str();
}

Result<std::string> FetchJwks(const std::string& url, const std::string& ca_file) {
  http::ClientRequest request;
  request.url = url;
  request.ca_file = ca_file;
  request.timeout = std::chrono::seconds(5);
  request.max_body = kMaxJwksBytes;
  GOSLINE_ASSIGN_OR_RETURN(http::ClientResponse response, http::SendHttpRequest(request));
  if (response.status != 200) {
    return Status::Unavailable("the JWKS URL answered " + std::to_string(response.status));
  }
  return std::move(response.body);
}

std::shared_ptr<security::OidcTokenVerifier> MakeVerifier(const CitizenApiSettings& s, Time now) {
  if (!s.enabled()) return nullptr;
  std::vector<security::JwksCache::Fetch> sources;
  if (!s.jwks_file.empty()) sources.push_back([path = s.jwks_file] { return ReadJwksFile(path); });
  if (!s.jwks_url.empty()) {
    sources.push_back([url = s.jwks_url, ca = s.jwks_ca_file] { return FetchJwks(url, ca); });
  }
  auto keys = std::make_shared<security::JwksCache>(std::move(sources));
  if (Status st = keys->Refresh(now); !st.ok()) {
    // Not fatal: the provider may be back before the first citizen signs in.
    spdlog::warn("citizens' API: the identity provider's keys are not available yet: {}", st.message());
  }
  return std::make_shared<security::OidcTokenVerifier>(
      security::OidcSettings{s.issuer, s.audience, std::chrono::seconds(s.leeway_seconds)}, std::move(keys));
}

}  // namespace

CitizenChannel::CitizenChannel(const Config& config, CaseService& cases, const Clock& clock)
    : settings_(config.citizen_api), cases_(cases), clock_(clock) {}

CitizenChannel::~CitizenChannel() { Stop(); }

Result<std::unique_ptr<CitizenChannel>> CitizenChannel::Open(const Config& config,
                                                             std::shared_ptr<PostgresDatabase> postgres,
                                                             CaseService& cases, const Clock& clock) {
  std::unique_ptr<CitizenChannel> c(new CitizenChannel(config, cases, clock));
  const std::string& path = config.storage.path;
  if (postgres) {
    c->idempotency_ = std::make_unique<PostgresIdempotencyStore>(postgres);
  } else {
    GOSLINE_ASSIGN_OR_RETURN(auto idempotency, SqliteIdempotencyStore::Open(path));
    c->idempotency_ = std::move(idempotency);
  }
  // Keys past their 24 hours answer nothing any more; a reused one is
  // dropped when claimed, the rest here at each start.
  if (Result<int64_t> purged = c->idempotency_->Purge(clock.Now() - http::kIdempotencyKeyLifetime);
      !purged.ok()) {
    spdlog::warn("citizens' API: old idempotency keys not purged: {}", purged.status().ToString());
  }
  GOSLINE_ASSIGN_OR_RETURN(auto channel, SqliteCitizenChannelStore::Open(path));
  c->channel_ = std::move(channel);
  GOSLINE_ASSIGN_OR_RETURN(auto webhooks, SqliteWebhookStore::Open(path));
  c->webhooks_ = std::move(webhooks);

  const CitizenApiSettings& s = config.citizen_api;
  http::WebhookDeliveryOptions options;
  options.timeout = std::chrono::milliseconds(s.webhook_timeout_ms);
  options.first_retry = std::chrono::milliseconds(s.webhook_first_retry_ms);
  options.give_up_after = std::chrono::hours(s.webhook_retry_hours);
  options.batch = s.webhook_queue;
  c->dispatcher_ = std::make_unique<http::WebhookDispatcher>(*c->webhooks_, clock, options);
  c->events_ = std::make_unique<WebhookEvents>(*c->webhooks_, clock,
                                               [d = c->dispatcher_.get()] { d->Wake(); });
  cases.SetChangeObserver([events = c->events_.get()](std::optional<CaseStatus> before, const Case& after) {
    events->OnCaseChanged(before, after);
  });
  c->verifier_ = MakeVerifier(s, clock.Now());
  if (!s.enabled()) spdlog::info("citizens' API off (no citizen_api.issuer): its routes answer 503");
  return c;
}

std::unique_ptr<CallOutcomeStore> CitizenChannel::WrapOutcomes(std::unique_ptr<CallOutcomeStore> outcomes) {
  return std::make_unique<CallEndedEvents>(std::move(outcomes), *events_);
}

Status CitizenChannel::AddRoutes(http::Router& router, DataRightsService* data_rights,
                                 http::ConfigProvider config, const http::EstimatedWaitSource& waits,
                                 security::AuditLog& audit) {
  service_ = std::make_unique<CitizenService>(cases_, *channel_, data_rights, clock_);
  auto api = std::make_shared<http::CitizenApi>();
  api->service = service_.get();
  api->verifier = verifier_;
  api->idempotency = idempotency_.get();
  api->clock = &clock_;
  api->config = std::move(config);
  api->waits = &waits;
  api->limits = std::make_shared<http::CitizenRateLimiter>(settings_.requests_per_minute_per_subject,
                                                           settings_.requests_per_minute_per_address);
  const Clock& clock = clock_;
  api->audit = [&audit, &clock](const std::string& actor, const std::string& action, const std::string& object) {
    Result<security::AuditRecord> r = audit.Append(security::AuditEntry{actor, action, object, ""}, clock.Now());
    if (!r.ok()) spdlog::error("audit: {}", r.status().ToString());
  };
  GOSLINE_RETURN_IF_ERROR(http::AddCitizenRoutes(router, std::move(api)));
  return http::AddWebhookRoutes(
      router, http::WebhookAdmin{webhooks_.get(), &clock_, [d = dispatcher_.get()] { d->Wake(); }});
}

void CitizenChannel::Start() { dispatcher_->Start(); }

void CitizenChannel::Stop() {
  if (dispatcher_) dispatcher_->Stop();
}

Result<std::optional<CallContext>> CitizenChannel::TakeCallContext(const std::string& code) {
  if (!service_) return std::optional<CallContext>();
  return service_->TakeCallContext(code);
}

}  // namespace gosline::cli
