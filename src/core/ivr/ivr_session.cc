// The driver: turns events into step calls, filters stale ids and keys that
// may not interrupt, and runs the node changes an event causes, bounded so a
// broken tree cannot spin (loop guard).
#include "core/ivr/ivr_session.h"

#include <string>
#include <utility>

#include "core/ivr/ivr_model.h"
#include "core/ivr/ivr_session_state.h"
#include "core/ivr/ivr_step.h"
#include "core/ivr/ivr_step_context.h"

namespace gosline {
namespace {

// Node changes and instant prompt ends one event may cause. The validator
// rejects loops without input, so a real tree needs a handful.
constexpr int kMaxStepsPerEvent = 64;
// Node entries per call: ends a call that circles forever (a caller who keeps
// choosing "repeat" still gets hundreds of rounds).
constexpr int kMaxNodeEntriesPerCall = 1000;

bool IsDtmfKey(char ch) {
  return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#' || (ch >= 'A' && ch <= 'D');
}

void EnterNode(IvrStepContext& ctx, const std::string& id) {
  IvrSessionState& st = ctx.state();
  const IvrNode* node = st.model->FindNode(id);
  if (node == nullptr) {
    ctx.Trace("unknown node '" + id + "'");
    ctx.Hangup(IvrEndReason::kFlowError);
    return;
  }
  if (++st.node_entries > kMaxNodeEntriesPerCall) {
    ctx.Trace("loop guard: too many nodes in one call");
    ctx.Hangup(IvrEndReason::kFlowError);
    return;
  }
  // Each node starts clean: nothing of the previous one may fire into it.
  ctx.CancelTimer();
  ctx.StopPlayback();
  ctx.StopListening();
  st.lookup_id = 0;
  st.node = node;
  st.attempts = 0;
  st.phase = 0;
  st.collected.clear();
  st.pending_case.clear();
  if (!node->topic.empty()) st.trace.topic = node->topic;
  ctx.Trace("enter");
  StepFor(node->kind()).Enter(ctx);
}

// Runs what the last handler left to do: node changes and instant prompt ends.
void RunPending(IvrStepContext& ctx) {
  IvrSessionState& st = ctx.state();
  int steps = 0;
  while (!st.finished && (st.has_goto || st.prompt_end_pending)) {
    if (++steps > kMaxStepsPerEvent) {
      ctx.Trace("loop guard: too many steps for one event");
      ctx.Hangup(IvrEndReason::kFlowError);
      return;
    }
    if (st.has_goto) {
      st.has_goto = false;
      st.prompt_end_pending = false;  // belonged to the node being left
      EnterNode(ctx, std::exchange(st.goto_node, {}));
    } else {
      st.prompt_end_pending = false;
      StepFor(st.node->kind()).OnPromptEnd(ctx);
    }
  }
}

}  // namespace

std::string_view ToString(IvrEndReason r) {
  switch (r) {
    case IvrEndReason::kCompleted: return "completed";
    case IvrEndReason::kNoInput: return "no_input";
    case IvrEndReason::kInvalidInput: return "invalid_input";
    case IvrEndReason::kFlowError: return "flow_error";
    case IvrEndReason::kCallerHungUp: return "caller_hung_up";
    case IvrEndReason::kQueued: return "queued";
  }
  return "unknown";
}

IvrSession::IvrSession(std::shared_ptr<const IvrModel> model)
    : state_(std::make_unique<IvrSessionState>()) {
  state_->model = std::move(model);
}
IvrSession::~IvrSession() = default;
IvrSession::IvrSession(IvrSession&&) noexcept = default;
IvrSession& IvrSession::operator=(IvrSession&&) noexcept = default;

std::vector<IvrAction> IvrSession::Start(const CallInfo& call, Time now) {
  std::vector<IvrAction> out;
  if (!state_ || state_->started) return out;
  IvrSessionState& st = *state_;
  st.started = true;
  st.trace.call_id = call.call_id;
  st.trace.dialled_number = call.dialled_number;
  st.trace.caller_number = call.caller_number;
  st.trace.caller_region = call.caller_region;
  st.trace.started_at = now;
  IvrStepContext ctx(st, now, out);
  if (!st.model) {
    ctx.Hangup(IvrEndReason::kFlowError);
    return out;
  }
  st.data["dialled_number"] = call.dialled_number;
  if (!call.caller_region.empty()) st.data["caller_region"] = call.caller_region;
  st.language = st.model->default_language;
  st.trace.language = st.language;
  out.push_back(SetLanguageAction{st.language});
  ctx.Goto(st.model->start);
  RunPending(ctx);
  return out;
}

std::vector<IvrAction> IvrSession::OnEvent(const IvrEvent& event) {
  std::vector<IvrAction> out;
  if (!state_ || !state_->started || state_->finished || state_->node == nullptr) return out;
  IvrSessionState& st = *state_;
  IvrStepContext ctx(st, event.at, out);
  const IvrStep& step = StepFor(st.node->kind());

  if (const auto* d = std::get_if<DigitEvent>(&event.what)) {
    if (!IsDtmfKey(d->digit)) return out;
    st.trace.AddDigit(d->digit);
    if (st.playback_id != 0) {
      if (!st.barge_in) {
        ctx.Trace(std::string("ignored ") + d->digit);
        return out;
      }
      ctx.StopPlayback();  // barge-in
    }
    step.OnDigit(ctx, d->digit);
  } else if (const auto* p = std::get_if<PromptFinishedEvent>(&event.what)) {
    if (p->playback_id == 0 || p->playback_id != st.playback_id) return out;
    st.playback_id = 0;
    step.OnPromptEnd(ctx);
  } else if (const auto* t = std::get_if<TimerFiredEvent>(&event.what)) {
    if (t->timer_id == 0 || t->timer_id != st.timer_id) return out;
    st.timer_id = 0;
    step.OnTimeout(ctx);
  } else if (const auto* r = std::get_if<CaseLookupResultEvent>(&event.what)) {
    if (r->request_id == 0 || r->request_id != st.lookup_id) return out;
    st.lookup_id = 0;
    step.OnLookupResult(ctx, *r);
  } else if (const auto* s = std::get_if<SpeechStartedEvent>(&event.what)) {
    if (s->listen_id == 0 || s->listen_id != st.listen_id) return out;
    if (st.playback_id != 0 && st.barge_in) {
      ctx.Trace("barge-in by speech");
      ctx.StopPlayback();
    }
    step.OnSpeechStart(ctx);
  } else if (const auto* h = std::get_if<SpeechResultEvent>(&event.what)) {
    if (h->listen_id == 0 || h->listen_id != st.listen_id) return out;
    ++st.trace.speech_turns;
    step.OnSpeechResult(ctx, *h);
  } else if (std::holds_alternative<HangupEvent>(event.what)) {
    // The caller is gone: nothing more to do on the line.
    ctx.Trace("caller hung up");
    st.finished = true;
    st.trace.end_reason = std::string(ToString(IvrEndReason::kCallerHungUp));
    st.trace.ended_at = event.at;
    return out;
  }
  RunPending(ctx);
  return out;
}

bool IvrSession::finished() const { return !state_ || state_->finished; }

// A moved-from session answers like an empty, finished one.
const std::string& IvrSession::language() const {
  static const std::string kNone;
  return state_ ? state_->language : kNone;
}

const IvrTrace& IvrSession::trace() const {
  static const IvrTrace kNone;
  return state_ ? state_->trace : kNone;
}

}  // namespace gosline
