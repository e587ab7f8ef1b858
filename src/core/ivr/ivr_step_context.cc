#include "core/ivr/ivr_step_context.h"

#include <utility>

#include "core/ivr/ivr_prompts.h"

namespace gosline {

std::string IvrStepContext::Key(const std::string& prompt_id) const {
  return PromptKey(state_.language, prompt_id);
}

void IvrStepContext::Play(const std::vector<std::string>& prompt_ids, bool barge_in) {
  std::vector<std::string> keys;
  keys.reserve(prompt_ids.size());
  for (const std::string& id : prompt_ids) {
    if (!id.empty()) keys.push_back(Key(id));
  }
  PlayKeys(std::move(keys), barge_in);
}

void IvrStepContext::PlayKeys(std::vector<std::string> keys, bool barge_in) {
  CancelTimer();
  if (keys.empty()) {
    // Nothing to hear: stop what was playing and let the step go on at once.
    StopPlayback();
    state_.prompt_end_pending = true;
    return;
  }
  // A new playback replaces the old one without a StopPlayback (contract).
  state_.playback_id = ++state_.last_id;
  state_.barge_in = barge_in;
  out_.push_back(PlayAction{state_.playback_id, std::move(keys), barge_in});
}

void IvrStepContext::StopPlayback() {
  if (state_.playback_id == 0) return;
  out_.push_back(StopPlaybackAction{state_.playback_id});
  state_.playback_id = 0;
}

void IvrStepContext::StartTimer(Duration after) {
  CancelTimer();
  state_.timer_id = ++state_.last_id;
  out_.push_back(StartTimerAction{state_.timer_id, now_ + after});
}

void IvrStepContext::CancelTimer() {
  if (state_.timer_id == 0) return;
  out_.push_back(CancelTimerAction{state_.timer_id});
  state_.timer_id = 0;
}

void IvrStepContext::LookupCase(const std::string& number, const std::string& phone_last4) {
  state_.lookup_id = ++state_.last_id;
  out_.push_back(LookupCaseAction{state_.lookup_id, number, phone_last4});
}

void IvrStepContext::Listen(std::vector<std::string> phrases, bool sequence) {
  state_.listen_id = ++state_.last_id;
  out_.push_back(ListenAction{state_.listen_id, state_.language, std::move(phrases), sequence});
}

void IvrStepContext::StopListening() {
  if (state_.listen_id == 0) return;
  out_.push_back(StopListeningAction{state_.listen_id});
  state_.listen_id = 0;
}

void IvrStepContext::SetLanguage(const std::string& language) {
  if (language == state_.language) return;
  state_.language = language;
  state_.trace.language = language;
  out_.push_back(SetLanguageAction{language});
}

void IvrStepContext::SetData(const std::string& key, const std::string& value) {
  state_.data[key] = value;
}

void IvrStepContext::Goto(const std::string& node_id) {
  state_.goto_node = node_id;
  state_.has_goto = true;
}

bool IvrStepContext::Retry(const IvrRetryPolicy& policy, bool no_input) {
  ++state_.attempts;
  if (state_.attempts <= policy.retries) return true;
  Trace("retries spent");
  if (!policy.on_fail.empty()) {
    Goto(policy.on_fail);
  } else {
    Hangup(no_input ? IvrEndReason::kNoInput : IvrEndReason::kInvalidInput);
  }
  return false;
}

void IvrStepContext::EnterQueue(const std::string& queue_id,
                                const std::vector<std::string>& waiting_prompts) {
  EnterQueueAction action;
  action.queue_id = queue_id;
  action.topic = state_.trace.topic;
  action.language = state_.language;
  action.data = state_.data;
  for (const std::string& id : waiting_prompts) {
    if (!id.empty()) action.waiting_prompts.push_back(Key(id));
  }
  state_.trace.queue = queue_id;
  End(IvrEndReason::kQueued);
  out_.push_back(std::move(action));
}

void IvrStepContext::Hangup(IvrEndReason reason) {
  End(reason);
  out_.push_back(HangupAction{reason});
}

void IvrStepContext::End(IvrEndReason reason) {
  CancelTimer();
  StopListening();
  state_.lookup_id = 0;
  state_.has_goto = false;
  state_.prompt_end_pending = false;
  state_.finished = true;
  state_.trace.end_reason = std::string(ToString(reason));
  state_.trace.ended_at = now_;
}

void IvrStepContext::Trace(std::string event) {
  state_.trace.AddStep(now_, state_.node != nullptr ? state_.node->id : std::string(),
                       std::move(event));
}

}  // namespace gosline
