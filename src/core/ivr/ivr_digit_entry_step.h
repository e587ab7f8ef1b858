// Shared behaviour of the nodes that read several keys (collect digits,
// service code, case status): prompt with barge-in, first-digit and
// inter-digit timeouts, re-prompt on a wrong or missing entry.
#pragma once

#include <string>
#include <vector>

#include "core/ivr/ivr_step.h"

namespace gosline {

class IvrDigitEntryStep : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override;
  void OnPromptEnd(IvrStepContext& ctx) const override;
  void OnDigit(IvrStepContext& ctx, char digit) const override;
  void OnTimeout(IvrStepContext& ctx) const override;

 protected:
  static constexpr int kCollecting = 0;  // phase; subclasses add their own after it

  struct Parts {
    const std::vector<std::string>& prompts;
    const IvrDigitInput& input;
    const IvrRetryPolicy& retry;
  };
  virtual Parts PartsOf(const IvrStepContext& ctx) const = 0;
  // A complete entry (without the terminator).
  virtual void OnEntry(IvrStepContext& ctx, const std::string& digits) const = 0;

  // Counts a failed attempt; re-prompts, first playing `first` (or the
  // policy's own prompt when empty), or takes the on_fail route.
  void Reject(IvrStepContext& ctx, bool no_input, const std::string& first = {}) const;
  // Starts a fresh entry: plays `first` then the node's prompts.
  void Prompt(IvrStepContext& ctx, const std::string& first) const;
};

}  // namespace gosline
