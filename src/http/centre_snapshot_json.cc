#include "http/centre_snapshot_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace gosline::http {

using contact_centre::CentreSnapshot;
using contact_centre::OperatorView;
using contact_centre::QueueView;

namespace {
nlohmann::json Seconds(std::optional<Duration> d) {
  if (!d) return nullptr;
  return std::chrono::duration_cast<std::chrono::seconds>(*d).count();
}

nlohmann::json Figures(const stats::QueueFigures& f);

}  // namespace

nlohmann::json ToJson(const OperatorView& o) {
  nlohmann::json j = {{"id", o.id},         {"name", o.name},     {"centre", o.centre},
                      {"skills", o.skills}, {"languages", o.languages}, {"state", o.state},
                      {"reason", o.reason}, {"since", FormatIso8601(o.since)}};
  j["call"] = o.call ? nlohmann::json(std::to_string(*o.call)) : nlohmann::json(nullptr);
  return j;
}

namespace {
nlohmann::json Figures(const stats::QueueFigures& f) {
  auto level = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"window",
           {{"offered", f.offered_window},
            {"answered", f.answered_window},
            {"answered_in_service_level", f.answered_in_sl_window},
            {"abandoned", f.abandoned_window},
            {"service_level", level(f.service_level_window)}}},
          {"today",
           {{"offered", f.offered_today},
            {"answered", f.answered_today},
            {"answered_in_service_level", f.answered_in_sl_today},
            {"abandoned", f.abandoned_today},
            {"service_level", level(f.service_level_today)},
            {"average_wait_seconds", Seconds(f.avg_wait_today)},
            {"median_wait_seconds", Seconds(f.median_wait_today)},
            {"average_talk_seconds", Seconds(f.avg_talk_today)}}}};
}
}  // namespace

nlohmann::json ToJson(const QueueView& q) {
  return {{"id", q.id},
          {"topic", q.topic},
          {"centre", q.centre},
          {"waiting", q.waiting},
          {"longest_wait_seconds", Seconds(q.longest_wait)},
          {"estimated_wait_seconds", Seconds(q.estimated_wait)},
          {"operators",
           {{"logged_in", q.logged_in},
            {"ready", q.ready},
            {"on_call", q.on_call},
            {"wrap_up", q.wrap_up},
            {"not_ready", q.not_ready}}},
          {"statistics", Figures(q.figures)}};
}

nlohmann::json ToJson(const CentreSnapshot& s) {
  nlohmann::json queues = nlohmann::json::array();
  for (const QueueView& q : s.queues) queues.push_back(ToJson(q));
  nlohmann::json operators = nlohmann::json::array();
  for (const OperatorView& o : s.operators) operators.push_back(ToJson(o));
  // R13: the corrective-action rules and which act now.
  nlohmann::json corrective = nlohmann::json::array();
  for (const contact_centre::CorrectiveView& c : s.corrective) {
    // An unbounded estimate (nobody could take a call) is not a JSON number.
    const bool finite = c.value && std::isfinite(*c.value);
    corrective.push_back({{"rule", c.rule},
                          {"active", c.active},
                          {"figure", c.figure},
                          {"queue", c.queue},
                          {"value", finite ? nlohmann::json(*c.value) : nlohmann::json(nullptr)},
                          {"threshold", c.threshold},
                          {"since", c.since ? nlohmann::json(FormatIso8601(*c.since)) : nlohmann::json(nullptr)},
                          {"activations", c.activations},
                          {"actions", c.actions}});
  }
  return {{"type", "centre"}, {"at", FormatIso8601(s.at)},     {"queues", queues},
          {"operators", operators}, {"corrective", corrective}};
}

}  // namespace gosline::http
