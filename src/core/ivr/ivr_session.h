// The IVR of one call as a pure state machine (R5, R6, R16, R2).
//
// Contract with the telephony adapter: the adapter feeds events in, each with
// the time it happened, and carries out the actions that come back, in order.
// The engine never touches sockets, clocks, threads or the registry; it asks
// for a timer or a case lookup by returning an action, and learns the outcome
// from a later event. One IvrSession per call; sessions share one immutable,
// validated IvrModel (ivr_model.h) and are not thread-safe themselves.
//
// Rules the adapter follows:
//  * Start() once, then OnEvent() for every event, until finished().
//  * PlayAction replaces whatever is playing (no PromptFinished for the replaced
//    one). PromptFinished is sent only when a playback ends by itself, never
//    after StopPlayback. Stale ids are harmless: the engine ignores them.
//  * Timers are one-shot: fire TimerFired(id) at or after `due`, unless
//    cancelled. Firing a cancelled or unknown timer is harmless.
//  * LookupCase: ask the registry, then send CaseLookupResult with the same
//    request_id (found + status, not found, or error). The engine guards the
//    lookup with its own timer, so a late answer is ignored.
//  * Digits: from RFC 4733, SIP INFO or in-band detection; the engine does not
//    care which, but the adapter must de-duplicate (one event per key press).
//  * After finished(): EnterQueue hands the call to the queue (the adapter
//    keeps the call up and loops `waiting_prompts`); Hangup ends the call.
//    A HangupEvent (the caller left) ends the session with no actions at all.
//  * Prompt keys are "<language>/<prompt id>" ("ru/main_menu",
//    "ru/digit/7", "en/case_status/in_progress"); dynamic content (digits of a
//    case number, status words) is already expanded into such keys, so every
//    key played is in PromptCatalogue(model) (ivr_prompts.h): the adapter
//    prepares that audio (espeak-ng text or a WAV path) once at start-up.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/cases/case.h"
#include "core/common/time.h"
#include "core/ivr/ivr_trace.h"

namespace gosline {

struct IvrModel;         // ivr_model.h
struct IvrSessionState;  // ivr_session_state.h: the engine's private state

// ---------------------------------------------------------------- events in

// What the adapter knows when the call is answered.
struct CallInfo {
  std::string call_id;         // SIP Call-ID or the adapter's own id; for the trace
  std::string dialled_number;  // "115", "88001007010" (R1)
  std::string caller_number;   // E.164 when known ("+79161234567"), "" when withheld
  std::string caller_region;   // federal subject code ("77"), "" when unknown (R10)
};

// One key press: '0'-'9', '*', '#', 'A'-'D'. Other characters are ignored.
struct DigitEvent {
  char digit = 0;
};

// A PlayAction with this id ended by itself (not stopped, not replaced).
struct PromptFinishedEvent {
  uint64_t playback_id = 0;
};

// A StartTimerAction with this id reached its due time.
struct TimerFiredEvent {
  uint64_t timer_id = 0;
};

enum class CaseLookupOutcome { kFound, kNotFound, kError };

// The registry's answer to a LookupCaseAction. A case whose phone does not
// end in the keyed digits is kNotFound, exactly like an unknown number.
struct CaseLookupResultEvent {
  uint64_t request_id = 0;
  CaseLookupOutcome outcome = CaseLookupOutcome::kError;
  CaseStatus status = CaseStatus::kNew;  // meaningful when kFound
  std::string topic;                     // the case's topic, when kFound (may be "")
};

// The caller hung up (BYE, CANCEL) or the call was torn down.
struct HangupEvent {};

// R7: the caller started speaking during the ListenAction with this id
// (voice activity): a prompt with barge-in stops.
struct SpeechStartedEvent {
  uint64_t listen_id = 0;
};

// R7: what the recogniser made of the utterance (text "" = nothing it
// could match). One per utterance; the turn goes on listening for the next
// until the engine sends StopListening or a new ListenAction.
struct SpeechResultEvent {
  uint64_t listen_id = 0;
  std::string text;         // lower case words
  double confidence = 0.0;  // 0..1
};

struct IvrEvent {
  Time at{};
  std::variant<DigitEvent, PromptFinishedEvent, TimerFiredEvent, CaseLookupResultEvent,
               HangupEvent, SpeechStartedEvent, SpeechResultEvent>
      what;

  static IvrEvent Digit(Time at, char digit) { return {at, DigitEvent{digit}}; }
  static IvrEvent PromptFinished(Time at, uint64_t id) { return {at, PromptFinishedEvent{id}}; }
  static IvrEvent TimerFired(Time at, uint64_t id) { return {at, TimerFiredEvent{id}}; }
  static IvrEvent LookupResult(Time at, CaseLookupResultEvent r) { return {at, std::move(r)}; }
  static IvrEvent Hangup(Time at) { return {at, HangupEvent{}}; }
  static IvrEvent SpeechStarted(Time at, uint64_t id) { return {at, SpeechStartedEvent{id}}; }
  static IvrEvent SpeechResult(Time at, SpeechResultEvent r) { return {at, std::move(r)}; }
};

// -------------------------------------------------------------- actions out

// Play prompts one after another. barge_in: a digit stops the playback (the
// engine then sends StopPlayback itself) and counts as input; without
// barge_in, digits pressed during the playback are discarded.
struct PlayAction {
  uint64_t playback_id = 0;
  std::vector<std::string> prompts;  // keys, see above
  bool barge_in = false;
};

struct StopPlaybackAction {
  uint64_t playback_id = 0;
};

struct StartTimerAction {
  uint64_t timer_id = 0;
  Time due{};
};

struct CancelTimerAction {
  uint64_t timer_id = 0;
};

// Ask the registry for the case with this number (already check-digit valid).
struct LookupCaseAction {
  uint64_t request_id = 0;
  std::string case_number;  // 10 digits
  std::string phone_last4;  // what the caller keyed: kFound only when the case's phone ends so
};

// Terminal: hand the call to a queue (routing connects it to operators).
struct EnterQueueAction {
  std::string queue_id;
  std::string topic;                          // topic id ("" when none chosen)
  std::string language;                       // "ru", "en"
  std::map<std::string, std::string> data;    // collected: case_number, case_open, service_code, ...
  std::vector<std::string> waiting_prompts;   // keys to loop while the caller waits
};

// R7: listen to the caller (replaces any earlier turn): detect speech, and
// recognise each utterance against `phrases` in `language`, off the media
// thread; answer SpeechStarted / SpeechResult with this id. An adapter
// without a recogniser for the language just never answers: the node's keys
// and timeouts still work.
struct ListenAction {
  uint64_t listen_id = 0;
  std::string language;
  std::vector<std::string> phrases;  // every phrase that may be heard now
  bool sequence = false;             // phrases may follow one another (digits)
};

struct StopListeningAction {
  uint64_t listen_id = 0;
};

// The caller's language changed; all following prompt keys use it.
struct SetLanguageAction {
  std::string language;
};

enum class IvrEndReason {
  kCompleted,      // the flow reached a hangup node
  kNoInput,        // retries exhausted without input and no on_fail route
  kInvalidInput,   // retries exhausted with wrong input and no on_fail route
  kFlowError,      // the model is broken at run time (a bug the validator missed) or a loop guard tripped
  kCallerHungUp,   // recorded in the trace only; no HangupAction is sent for it
  kQueued,         // recorded in the trace only: the session ended with EnterQueue
};
std::string_view ToString(IvrEndReason r);  // "completed", "no_input", ...

// Terminal: end the call.
struct HangupAction {
  IvrEndReason reason = IvrEndReason::kCompleted;
};

using IvrAction = std::variant<PlayAction, StopPlaybackAction, StartTimerAction, CancelTimerAction,
                               LookupCaseAction, EnterQueueAction, SetLanguageAction, HangupAction,
                               ListenAction, StopListeningAction>;

// ------------------------------------------------------------------ session

class IvrSession {
 public:
  // model must have passed ValidateIvrModel (ivr_validate.h); a broken model
  // does not crash the engine, the call ends with IvrEndReason::kFlowError.
  explicit IvrSession(std::shared_ptr<const IvrModel> model);
  ~IvrSession();
  IvrSession(IvrSession&&) noexcept;
  IvrSession& operator=(IvrSession&&) noexcept;
  IvrSession(const IvrSession&) = delete;
  IvrSession& operator=(const IvrSession&) = delete;

  // The call was answered: first SetLanguage(default), then the start node.
  std::vector<IvrAction> Start(const CallInfo& call, Time now);
  // Every later event. After finished() it returns no actions.
  std::vector<IvrAction> OnEvent(const IvrEvent& event);

  bool finished() const;
  const std::string& language() const;
  // Path of nodes visited, digits, topic chosen: for logs and the operator screen.
  const IvrTrace& trace() const;

 private:
  std::unique_ptr<IvrSessionState> state_;
};

}  // namespace gosline
