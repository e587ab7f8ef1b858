// Router: handing out decisions, and the questions adapters ask.
#include "core/routing/router.h"

namespace gosline::routing {

// --- Decisions and questions ------------------------------------------------------------

void Router::OnTick(Time now) { AdvanceTo(now); }

std::vector<Decision> Router::Dispatch(Time now) {
  std::vector<Decision> out;
  DispatchInto(now, out);
  return out;
}

void Router::DispatchInto(Time now, std::vector<Decision>& out) {
  AdvanceTo(now);
  out.clear();
  out.swap(decisions_);
}

std::optional<Duration> Router::PoolEstimate(uint32_t general_pool, size_t calls_ahead) const {
  const PoolState& p = pools_[general_pool];
  const QueueStats& stats = queue_stats_[plan_.pools()[general_pool].queue];
  return EstimateWait(calls_ahead, p.all_ready, p.all_working,
                      stats.handle_time.value().value_or(plan_.settings().default_handle_time));
}

Result<Estimate> Router::EstimatedWait(std::string_view queue_id, std::string_view language) const {
  const std::optional<uint32_t> queue = plan_.FindQueue(queue_id);
  if (!queue) return Status::NotFound("unknown queue \"" + std::string(queue_id) + "\"");
  const std::optional<uint32_t> lang = plan_.FindLanguage(language);
  if (!lang) return Status::NotFound("unknown language \"" + std::string(language) + "\"");
  const uint32_t g = plan_.GeneralPool(*queue, *lang);
  const PoolState& p = pools_[g];
  Estimate e;
  e.calls_waiting = p.calls.size();
  e.wait = PoolEstimate(g, e.calls_waiting);
  e.operators_logged_in = p.all_logged_in;
  e.operators_ready = p.all_ready;
  e.recent_answered_wait = queue_stats_[*queue].answered_wait.value();
  return e;
}

Result<CallStatus> Router::StatusOf(CallId id) const {
  const CallRec* c = FindCall(id);
  if (c == nullptr) return Status::NotFound("call " + std::to_string(id) + " is not routed");
  CallStatus s;
  s.state = c->state;
  s.queue = plan_.queues()[c->home_queue].id;
  s.waited = now_ - c->enqueued_at;
  s.data = &c->data;
  if (c->op != kNone) s.operator_id = plan_.operators()[c->op].id;
  if (c->state == CallState::kWaiting) {
    const uint32_t g = plan_.GeneralPool(c->home_queue, c->language);
    const size_t ahead = pools_[g].calls.CountBefore(c->key);
    s.position = ahead + 1;
    s.estimated_wait = PoolEstimate(g, ahead);
  }
  return s;
}

std::optional<CallState> Router::CallStateOf(CallId id) const {
  const CallRec* c = FindCall(id);
  if (c == nullptr) return std::nullopt;
  return c->state;
}

Result<OperatorStatus> Router::OperatorStatusOf(std::string_view operator_id) const {
  const std::optional<uint32_t> op = plan_.FindOperator(operator_id);
  if (!op) return Status::NotFound("unknown operator \"" + std::string(operator_id) + "\"");
  const OperatorRec& o = operators_[*op];
  OperatorStatus s{o.state, o.reason, o.since, std::nullopt};
  if (o.call != kNone) s.call = calls_[o.call].id;
  return s;
}

}  // namespace gosline::routing
