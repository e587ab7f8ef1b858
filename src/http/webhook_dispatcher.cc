#include "http/webhook_dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "http/http_client.h"
#include "security/webhook_signature.h"

namespace gosline::http {

std::optional<Time> NextWebhookAttempt(Time created_at, int attempts, Time now,
                                       const WebhookDeliveryOptions& options) {
  Duration pause = options.first_retry;
  for (int i = 1; i < attempts && pause < options.max_pause; ++i) pause *= 2;
  pause = std::min(pause, options.max_pause);
  const Time next = now + pause;
  if (next > created_at + options.give_up_after) return std::nullopt;
  return next;
}

WebhookDispatcher::WebhookDispatcher(WebhookStore& store, const Clock& clock,
                                     WebhookDeliveryOptions options)
    : store_(store), clock_(clock), options_(options) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

void WebhookDispatcher::Stop() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

void WebhookDispatcher::Wake() {
  {
    MutexLock lock(mu_);
    wake_ = true;
  }
  cv_.NotifyAll();
}

void WebhookDispatcher::Loop() {
  while (true) {
    {
      MutexLock lock(mu_);
      if (stop_) return;
      wake_ = false;
    }
    const int delivered = DeliverDue();
    // A full batch may have left due rows behind: go again at once.
    if (delivered >= options_.batch) continue;
    std::chrono::milliseconds wait = options_.idle_poll;
    if (Result<std::optional<Time>> next = store_.NextDue(); next.ok() && next->has_value()) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_.Now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
    }
    MutexLock lock(mu_);
    if (!wake_ && !stop_ && wait.count() > 0) cv_.WaitFor(mu_, wait);
  }
}

Status WebhookDispatcher::Attempt(const WebhookSubscription& s, const WebhookDelivery& d) {
  const int64_t timestamp = ToUnixMillis(clock_.Now()) / 1000;
  GOSLINE_ASSIGN_OR_RETURN(std::string signature,
                           security::SignWebhook(s.secret, d.message_id, timestamp, d.payload));
  ClientRequest request;
  request.method = "POST";
  request.url = s.url;
  request.body = d.payload;
  request.timeout = options_.timeout;
  request.max_body = 64 * 1024;  // the answer is not read, only its status
  request.headers = {{"Content-Type", "application/json"},
                     {"webhook-id", d.message_id},
                     {"webhook-timestamp", std::to_string(timestamp)},
                     {"webhook-signature", signature}};
  GOSLINE_ASSIGN_OR_RETURN(ClientResponse response, SendHttpRequest(request));
  if (response.status < 200 || response.status > 299) {
    return Status::Unavailable("the receiver answered " + std::to_string(response.status));
  }
  return Status::Ok();
}

int WebhookDispatcher::DeliverDue() {
  Result<std::vector<WebhookDelivery>> due = store_.Due(clock_.Now(), options_.batch);
  if (!due.ok()) {
    spdlog::error("webhooks: cannot read the outbox: {}", due.status().ToString());
    return 0;
  }
  std::map<int64_t, std::optional<WebhookSubscription>> subscriptions;
  int delivered = 0;
  for (const WebhookDelivery& d : *due) {
    {
      MutexLock lock(mu_);
      if (stop_) break;  // the rest stay pending for the next start
    }
    auto it = subscriptions.find(d.subscription_id);
    if (it == subscriptions.end()) {
      Result<std::optional<WebhookSubscription>> s = store_.Subscription(d.subscription_id);
      if (!s.ok()) continue;
      it = subscriptions.emplace(d.subscription_id, std::move(s).value()).first;
    }
    const int attempts = d.attempts + 1;
    Status sent = it->second ? Attempt(*it->second, d)
                             : Status::FailedPrecondition("the subscription was removed");
    const Time now = clock_.Now();
    Status marked;
    if (sent.ok()) {
      marked = store_.MarkDelivered(d.id, attempts, now);
      ++delivered;
    } else {
      std::optional<Time> next = it->second ? NextWebhookAttempt(d.created_at, attempts, now, options_)
                                            : std::nullopt;
      if (!next) {
        spdlog::warn("webhooks: {} {} dead-lettered after {} attempts: {}", d.event, d.message_id,
                     attempts, sent.message());
      }
      marked = store_.MarkFailed(d.id, attempts, next.value_or(now), sent.message(), !next);
    }
    if (!marked.ok()) spdlog::error("webhooks: cannot record an attempt: {}", marked.ToString());
  }
  return delivered;
}

}  // namespace gosline::http
