#include "http/centre_metrics.h"

#include <map>
#include <string>

namespace gosline::http {
namespace {

using Type = PrometheusText::Type;

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

void WriteCentreMetrics(const contact_centre::CentreSnapshot& s, PrometheusText& out) {
  out.Family("gosline_queue_waiting_calls", Type::kGauge, "Calls waiting in the queue now.");
  for (const auto& q : s.queues) {
    out.Sample("gosline_queue_waiting_calls", {{"queue", q.id}}, static_cast<double>(q.waiting));
  }
  out.Family("gosline_queue_longest_wait_seconds", Type::kGauge,
             "How long the call waiting longest has waited.");
  for (const auto& q : s.queues) {
    out.Sample("gosline_queue_longest_wait_seconds", {{"queue", q.id}}, Seconds(q.longest_wait));
  }
  // Left out while nobody who could answer is logged in: no estimate exists.
  out.Family("gosline_queue_estimated_wait_seconds", Type::kGauge,
             "Estimated wait of a call entering the queue now.");
  for (const auto& q : s.queues) {
    if (q.estimated_wait) {
      out.Sample("gosline_queue_estimated_wait_seconds", {{"queue", q.id}},
                 Seconds(*q.estimated_wait));
    }
  }
  out.Family("gosline_queue_operators", Type::kGauge,
             "Operators who can take the queue's calls, by state.");
  for (const auto& q : s.queues) {
    const std::pair<const char*, uint32_t> states[] = {{"ready", q.ready},
                                                       {"on_call", q.on_call},
                                                       {"wrap_up", q.wrap_up},
                                                       {"not_ready", q.not_ready}};
    for (const auto& [state, n] : states) {
      out.Sample("gosline_queue_operators", {{"queue", q.id}, {"state", state}},
                 static_cast<double>(n));
    }
  }
  out.Family("gosline_queue_calls_today", Type::kGauge,
             "Calls since midnight (line time), by outcome: offered, answered, abandoned, "
             "answered_in_service_level.");
  for (const auto& q : s.queues) {
    const auto& f = q.figures;
    const std::pair<const char*, size_t> outcomes[] = {
        {"offered", f.offered_today},
        {"answered", f.answered_today},
        {"abandoned", f.abandoned_today},
        {"answered_in_service_level", f.answered_in_sl_today}};
    for (const auto& [outcome, n] : outcomes) {
      out.Sample("gosline_queue_calls_today", {{"queue", q.id}, {"outcome", outcome}},
                 static_cast<double>(n));
    }
  }
  // R13: 1 while the rule's corrective actions are on, and how often they started.
  out.Family("gosline_corrective_action_active", Type::kGauge,
             "1 while the corrective-action rule acts, else 0.");
  for (const auto& c : s.corrective) {
    out.Sample("gosline_corrective_action_active", {{"rule", c.rule}}, c.active ? 1.0 : 0.0);
  }
  out.Family("gosline_corrective_activations_total", Type::kCounter,
             "Times the corrective-action rule started since the server started.");
  for (const auto& c : s.corrective) {
    out.Sample("gosline_corrective_activations_total", {{"rule", c.rule}},
               static_cast<double>(c.activations));
  }
  // Unknown until a call has been answered or abandoned in the window.
  out.Family("gosline_queue_service_level_ratio", Type::kGauge,
             "Share answered within the service-level threshold over the live window.");
  for (const auto& q : s.queues) {
    if (q.figures.service_level_window) {
      out.Sample("gosline_queue_service_level_ratio", {{"queue", q.id}},
                 *q.figures.service_level_window);
    }
  }
  std::map<std::string, size_t> by_state = {{"logged_out", 0}, {"ready", 0},   {"ringing", 0},
                                            {"on_call", 0},    {"wrap_up", 0}, {"not_ready", 0}};
  for (const auto& o : s.operators) ++by_state[o.state];
  out.Family("gosline_operators", Type::kGauge, "Operators known to the line, by state.");
  for (const auto& [state, n] : by_state) {
    out.Sample("gosline_operators", {{"state", state}}, static_cast<double>(n));
  }
}

}  // namespace gosline::http
