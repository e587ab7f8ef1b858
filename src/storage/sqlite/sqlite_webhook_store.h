// Webhook subscriptions and their outbox (storage/webhook_store.h) in the
// node's SQLite file.
#pragma once

#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/webhook_store.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteWebhookStore final : public WebhookStore {
 public:
  static Result<std::unique_ptr<SqliteWebhookStore>> Open(const std::string& path);
  ~SqliteWebhookStore() override;

  Result<WebhookSubscription> AddSubscription(WebhookSubscription s) override;
  Result<std::vector<WebhookSubscription>> Subscriptions() override;
  Result<std::optional<WebhookSubscription>> Subscription(int64_t id) override;
  Status RemoveSubscription(int64_t id) override;
  Result<int> Enqueue(const std::string& event, Time at, const Render& render) override;
  Result<std::vector<WebhookDelivery>> Due(Time now, int limit) override;
  Result<std::optional<Time>> NextDue() override;
  Status MarkDelivered(int64_t id, int attempts, Time at) override;
  Status MarkFailed(int64_t id, int attempts, Time next_attempt, const std::string& error,
                    bool dead) override;
  Result<std::vector<WebhookDelivery>> Deliveries(DeliveryState state, int limit) override;
  Status Replay(int64_t id, Time now) override;

 private:
  explicit SqliteWebhookStore(std::unique_ptr<sqlite::SqliteConnection> conn);
  Result<std::vector<WebhookSubscription>> SubscriptionsLocked() GOSLINE_REQUIRES(mu_);

  // Threads: HTTP threads (administration, case changes) and the delivery
  // worker; mu_ guards the connection.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
