#include "http/live_hub_wallboard.h"

#include <utility>

namespace gosline::http {
namespace {

using nlohmann::json;

std::optional<double> Number(const json& j, const json::json_pointer& p) {
  if (!j.contains(p)) return std::nullopt;
  const json& v = j.at(p);
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

stats::QueueMeasurements MeasurementsOf(const json& queue) {
  stats::QueueMeasurements m;
  m.service_level_window = Number(queue, json::json_pointer("/statistics/window/service_level"));
  m.service_level_today = Number(queue, json::json_pointer("/statistics/today/service_level"));
  const auto answered = Number(queue, json::json_pointer("/statistics/window/answered"));
  const auto abandoned = Number(queue, json::json_pointer("/statistics/window/abandoned"));
  if (answered && abandoned && *answered + *abandoned > 0) {
    m.abandon_rate_window = *abandoned / (*answered + *abandoned);
  }
  m.longest_wait_seconds = Number(queue, json::json_pointer("/longest_wait_seconds"));
  m.calls_waiting = Number(queue, json::json_pointer("/waiting"));
  return m;
}

json EventJson(const stats::AlarmEvent& e) {
  return {{"type", "alarm"},
          {"rule", e.rule_id},
          {"queue", e.queue},
          {"metric", stats::ToString(e.metric)},
          {"state", e.raised ? "raised" : "cleared"},
          {"value", e.value},
          {"threshold", e.threshold},
          {"at", FormatIso8601(e.at)}};
}

}  // namespace

std::vector<stats::AlarmRule> WallboardFeed::DefaultAlarmRules() {
  using stats::AlarmMetric;
  return {{.id = "service_level_low", .metric = AlarmMetric::kServiceLevelWindow, .above = false,
           .threshold = 0.8, .clear_at = 0.85, .raise_after = std::chrono::minutes(1)},
          {.id = "longest_wait_high", .metric = AlarmMetric::kLongestWaitSeconds, .above = true,
           .threshold = 120, .clear_at = 90},
          {.id = "abandon_rate_high", .metric = AlarmMetric::kAbandonRateWindow, .above = true,
           .threshold = 0.1, .clear_at = 0.08, .raise_after = std::chrono::minutes(1)}};
}

WallboardFeed::WallboardFeed(LiveHub& hub, stats::AlarmEvaluator alarms)
    : hub_(hub), alarms_(std::move(alarms)) {}

json WallboardFeed::ActiveAlarmsJson() const {
  json out = json::array();
  for (const auto& a : alarms_.Active()) {
    out.push_back({{"rule", a.rule_id},
                   {"queue", a.queue},
                   {"metric", stats::ToString(a.metric)},
                   {"value", a.value},
                   {"since", FormatIso8601(a.since)}});
  }
  return out;
}

json WallboardFeed::WithAlarms(json snapshot) const {
  MutexLock lock(mu_);
  if (snapshot.is_object()) snapshot["alarms"] = ActiveAlarmsJson();
  return snapshot;
}

void WallboardFeed::OnCentreSnapshot(json snapshot) {
  if (!snapshot.is_object()) return;
  std::vector<json> events;
  std::vector<std::pair<std::string, json>> operator_changes;
  {
    MutexLock lock(mu_);
    std::optional<Time> at;
    if (auto it = snapshot.find("at"); it != snapshot.end() && it->is_string()) {
      at = ParseIso8601(it->get<std::string>());
    }
    if (at && snapshot.contains("queues") && snapshot["queues"].is_array()) {
      for (const json& q : snapshot["queues"]) {
        if (!q.contains("id") || !q["id"].is_string()) continue;
        for (const auto& e : alarms_.Evaluate(q["id"].get<std::string>(), MeasurementsOf(q), *at)) {
          events.push_back(EventJson(e));
        }
      }
    }
    if (snapshot.contains("operators") && snapshot["operators"].is_array()) {
      for (const json& o : snapshot["operators"]) {
        if (!o.contains("id") || !o["id"].is_string()) continue;
        const std::string id = o["id"].get<std::string>();
        json& last = last_operator_[id];
        if (last == o) continue;
        last = o;
        json message = o;
        message["type"] = "operator";
        operator_changes.emplace_back(id, std::move(message));
      }
    }
    snapshot["alarms"] = ActiveAlarmsJson();
  }
  for (const json& e : events) hub_.Publish(kWallboardTopic, e);
  hub_.Publish(kWallboardTopic, snapshot);
  for (const auto& [id, message] : operator_changes) hub_.Publish(OperatorTopic(id), message);
}

}  // namespace gosline::http
