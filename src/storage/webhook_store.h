// Webhooks to the apps (R27): the administrators' subscriptions and the
// outbox of deliveries. A change that apps hear about is written to the
// outbox (one row per subscription that wants the event, with the payload
// already cut to what the subscription may see); a worker delivers the due
// rows, at least once, marks them delivered, or schedules the next attempt,
// or after the retry period dead-letters them for an administrator to replay.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct WebhookSubscription {
  int64_t id = 0;
  std::string url;
  std::vector<std::string> events;  // "case.created", ...
  std::string secret;               // "whsec_" + base64 (Standard Webhooks)
  bool include_phone = false;       // scope: may payloads carry phone numbers
  std::string description;
  Time created_at{};
};

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view ToString(DeliveryState s);  // "pending", "delivered", "dead"

struct WebhookDelivery {
  int64_t id = 0;
  std::string message_id;  // webhook-id: the same on every attempt
  int64_t subscription_id = 0;
  std::string event;
  std::string payload;     // the JSON body, exactly as signed and sent
  Time created_at{};
  int attempts = 0;
  Time next_attempt_at{};
  DeliveryState state = DeliveryState::kPending;
  std::string last_error;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  virtual Result<WebhookSubscription> AddSubscription(WebhookSubscription s) = 0;
  virtual Result<std::vector<WebhookSubscription>> Subscriptions() = 0;
  virtual Result<std::optional<WebhookSubscription>> Subscription(int64_t id) = 0;
  // Also drops the subscription's pending deliveries. NotFound when unknown.
  virtual Status RemoveSubscription(int64_t id) = 0;

  // One outbox row per subscription that wants `event`, in one transaction;
  // `render` gives that subscription's payload. Returns how many rows.
  using Render = std::function<std::string(const WebhookSubscription&, const std::string& message_id)>;
  virtual Result<int> Enqueue(const std::string& event, Time at, const Render& render) = 0;

  // Pending rows due at `now`, oldest first.
  virtual Result<std::vector<WebhookDelivery>> Due(Time now, int limit) = 0;
  // When the next pending row is due (nullopt: none pending).
  virtual Result<std::optional<Time>> NextDue() = 0;
  virtual Status MarkDelivered(int64_t id, int attempts, Time at) = 0;
  // A failed attempt: pending again at `next_attempt`, or dead when `dead`.
  virtual Status MarkFailed(int64_t id, int attempts, Time next_attempt, const std::string& error,
                            bool dead) = 0;
  virtual Result<std::vector<WebhookDelivery>> Deliveries(DeliveryState state, int limit) = 0;
  // A dead delivery is pending again from `now`, its attempts counted anew.
  // NotFound unless the row is dead.
  virtual Status Replay(int64_t id, Time now) = 0;
};

}  // namespace gosline
