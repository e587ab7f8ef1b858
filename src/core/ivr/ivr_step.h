// One kind of node's behaviour. Steps are stateless: what a call has done so
// far lives in IvrSessionState, reached through the context. The driver
// (ivr_session.cc) calls OnDigit only for keys the caller may use now
// (barge-in already handled), and the other hooks only for current ids.
#pragma once

#include "core/ivr/ivr_model.h"
#include "core/ivr/ivr_step_context.h"

namespace gosline {

class IvrStep {
 public:
  virtual ~IvrStep() = default;
  virtual void Enter(IvrStepContext& ctx) const = 0;
  virtual void OnPromptEnd(IvrStepContext& ctx) const = 0;
  virtual void OnDigit(IvrStepContext& /*ctx*/, char /*digit*/) const {}
  virtual void OnTimeout(IvrStepContext& /*ctx*/) const {}
  virtual void OnLookupResult(IvrStepContext& /*ctx*/, const CaseLookupResultEvent& /*r*/) const {}
  virtual void OnSpeechStart(IvrStepContext& /*ctx*/) const {}
  virtual void OnSpeechResult(IvrStepContext& /*ctx*/, const SpeechResultEvent& /*r*/) const {}
};

// The step for a kind of node.
const IvrStep& StepFor(IvrNodeKind kind);

// One per kind, each defined beside its behaviour.
const IvrStep& PlayStep();
const IvrStep& TypicalAnswerStep();
const IvrStep& QueueStep();
const IvrStep& HangupStep();
const IvrStep& MenuStep();
const IvrStep& LanguageSelectStep();
const IvrStep& CollectDigitsStep();
const IvrStep& ServiceCodeStep();
const IvrStep& CaseStatusStep();
const IvrStep& HoursCheckStep();
const IvrStep& ListenStep();

}  // namespace gosline
