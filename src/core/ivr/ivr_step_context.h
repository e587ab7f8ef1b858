// What a node step may do while handling one event: play, wait, go to a node,
// end the session. Every effect becomes an IvrAction in `out`, in order, and
// keeps the one-playback/one-timer/one-lookup invariant of IvrSessionState.
#pragma once

#include <string>
#include <vector>

#include "core/ivr/ivr_session.h"
#include "core/ivr/ivr_session_state.h"

namespace gosline {

class IvrStepContext {
 public:
  IvrStepContext(IvrSessionState& state, Time now, std::vector<IvrAction>& out)
      : state_(state), now_(now), out_(out) {}

  Time now() const { return now_; }
  IvrSessionState& state() { return state_; }
  const IvrSessionState& state() const { return state_; }
  const IvrNode& node() const { return *state_.node; }
  template <typename Spec>
  const Spec& spec() const { return std::get<Spec>(state_.node->spec); }

  // Plays prompt ids (skipping empty ones) in the current language; replaces
  // any playback and cancels the timer. With nothing to play, the step gets
  // OnPromptEnd at once.
  void Play(const std::vector<std::string>& prompt_ids, bool barge_in);
  // Plays ready-made keys (dynamic content).
  void PlayKeys(std::vector<std::string> keys, bool barge_in);
  void StopPlayback();
  // Replaces any running timer.
  void StartTimer(Duration after);
  void CancelTimer();
  void LookupCase(const std::string& number, const std::string& phone_last4);
  // Starts a speech turn (replacing any) / ends it.
  void Listen(std::vector<std::string> phrases, bool sequence);
  void StopListening();
  void SetLanguage(const std::string& language);
  void SetData(const std::string& key, const std::string& value);

  // Leave the current node for another (entered after this handler returns).
  void Goto(const std::string& node_id);
  // Counts a failed attempt. True: the step should re-prompt. False: the
  // retries are spent and the on_fail route (or a hang-up) was taken.
  bool Retry(const IvrRetryPolicy& policy, bool no_input);
  // Terminal actions.
  void EnterQueue(const std::string& queue_id, const std::vector<std::string>& waiting_prompts);
  void Hangup(IvrEndReason reason);

  void Trace(std::string event);
  std::string Key(const std::string& prompt_id) const;

 private:
  void End(IvrEndReason reason);

  IvrSessionState& state_;
  Time now_;
  std::vector<IvrAction>& out_;
};

}  // namespace gosline
