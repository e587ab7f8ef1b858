#include "app/webhook_events.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace gosline {
namespace {

using nlohmann::json;

json CaseData(const Case& c, bool include_phone) {
  json data = {{"number", c.number},
               {"status", ToString(c.status)},
               {"channel", ToString(c.channel)},
               {"topic", c.topic},
               {"agency", c.agency},
               {"region", c.region},
               {"portal_account_id", c.portal_account_id ? json(*c.portal_account_id) : json(nullptr)},
               {"created_at", FormatIso8601(c.created_at)},
               {"updated_at", FormatIso8601(c.updated_at)},
               {"due_at", c.due_at ? json(FormatIso8601(*c.due_at)) : json(nullptr)}};
  if (include_phone) data["phone"] = c.phone;
  return data;
}

std::optional<int64_t> Seconds(const std::optional<Duration>& d) {
  if (!d) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*d).count();
}

}  // namespace

const std::vector<std::string>& WebhookEventNames() {
  static const std::vector<std::string> kNames = {kEventCaseCreated, kEventCaseStatusChanged,
                                                  kEventCallbackScheduled, kEventCallEnded};
  return kNames;
}

WebhookEvents::WebhookEvents(WebhookStore& store, const Clock& clock, std::function<void()> wake)
    : store_(store), clock_(clock), wake_(std::move(wake)) {}

void WebhookEvents::Publish(const std::string& event,
                            const std::function<std::string(bool include_phone)>& data) {
  const Time now = clock_.Now();
  Result<int> rows = store_.Enqueue(event, now, [&](const WebhookSubscription& s, const std::string&) {
    return json{{"type", event}, {"timestamp", FormatIso8601(now)}, {"data", json::parse(data(s.include_phone))}}
        .dump();
  });
  if (!rows.ok()) {
    spdlog::error("webhooks: {} not queued: {}", event, rows.status().ToString());
    return;
  }
  if (*rows > 0 && wake_) wake_();
}

void WebhookEvents::OnCaseChanged(std::optional<CaseStatus> status_before, const Case& after) {
  if (!status_before) {
    Publish(kEventCaseCreated, [&](bool phone) { return CaseData(after, phone).dump(); });
    if (after.channel == Channel::kCallback) {
      Publish(kEventCallbackScheduled, [&](bool phone) { return CaseData(after, phone).dump(); });
    }
    return;
  }
  if (*status_before == after.status) return;
  Publish(kEventCaseStatusChanged, [&](bool phone) {
    json data = CaseData(after, phone);
    data["previous_status"] = ToString(*status_before);
    return data.dump();
  });
}

void WebhookEvents::OnCallEnded(const CallOutcome& o) {
  Publish(kEventCallEnded, [&](bool) {
    auto opt = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
    return json{{"call_id", o.call_id},
                {"case_number", o.linked_case.empty() ? json(nullptr) : json(o.linked_case)},
                {"queue", o.queue},
                {"outcome", o.outcome},
                {"wait_seconds", opt(Seconds(o.wait))},
                {"talk_seconds", opt(Seconds(o.talk))}}
        .dump();
  });
}

}  // namespace gosline
