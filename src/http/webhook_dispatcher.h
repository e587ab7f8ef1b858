// Delivers the webhooks' outbox (R27; storage/webhook_store.h) on a thread of
// its own, so nothing on a call's path ever waits for an app's server: the
// change that raised an event only writes its outbox row and calls Wake.
// Each pass takes at most `batch` due rows (the bounded queue; the rest stay
// in the outbox), posts each with the Standard Webhooks headers
// (webhook-id, webhook-timestamp, webhook-signature) and a hard timeout.
// A 2xx marks the row delivered; anything else is retried after a pause
// that doubles from `first_retry` up to `max_pause`, until `give_up_after`
// from the event, when the row is dead-lettered (an administrator replays
// it: webhook_routes.h). The row is marked only after the attempt, so a
// crash mid-delivery sends it again after the restart: at least once, and
// receivers dedupe by webhook-id.
//
// Threads: the worker runs DeliverDue; Wake and Stop from any thread.
// mu_ (a leaf) guards wake_ and stop_.
#pragma once

#include <chrono>
#include <optional>
#include <thread>

#include "core/common/clock.h"
#include "core/common/thread_annotations.h"
#include "storage/webhook_store.h"

namespace gosline::http {

struct WebhookDeliveryOptions {
  std::chrono::milliseconds timeout{5000};
  Duration first_retry = std::chrono::seconds(5);
  Duration max_pause = std::chrono::hours(1);
  Duration give_up_after = std::chrono::hours(24);
  int batch = 1000;
  std::chrono::milliseconds idle_poll{2000};  // looks at the outbox at least this often
};

// When a delivery that failed its `attempts`-th attempt at `now` is tried
// again; nullopt when it is dead (the next try would come after the event's
// give_up_after).
std::optional<Time> NextWebhookAttempt(Time created_at, int attempts, Time now,
                                       const WebhookDeliveryOptions& options);

class WebhookDispatcher {
 public:
  WebhookDispatcher(WebhookStore& store, const Clock& clock, WebhookDeliveryOptions options);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void Start();
  void Stop() GOSLINE_EXCLUDES(mu_);
  void Wake() GOSLINE_EXCLUDES(mu_);

  // One pass over the due rows; returns how many were delivered now.
  int DeliverDue();

 private:
  void Loop() GOSLINE_EXCLUDES(mu_);
  // Sends one row; an error saying why when it was not accepted.
  Status Attempt(const WebhookSubscription& subscription, const WebhookDelivery& delivery);

  WebhookStore& store_;
  const Clock& clock_;
  const WebhookDeliveryOptions options_;
  Mutex mu_;
  CondVar cv_;  // wake_ or stop_ was set
  bool wake_ GOSLINE_GUARDED_BY(mu_) = false;
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gosline::http
