// R16: the status of a case by its number. The Damm check digit catches a
// mistyped number before the registry is asked; then the caller keys the
// last 4 digits of the phone the case was opened with, and only the two
// together are looked up (a wrong phone sounds like an unknown case; the
// lookups of a call are bounded). The registry's answer comes back as an
// event, guarded by a timer so a slow registry cannot hold the call.
#include <string>
#include <vector>

#include "core/cases/case_number.h"
#include "core/ivr/ivr_digit_entry_step.h"
#include "core/ivr/ivr_prompts.h"

namespace gosline {
namespace {

class CaseStatusStepImpl final : public IvrDigitEntryStep {
 public:
  void OnPromptEnd(IvrStepContext& ctx) const override {
    switch (ctx.state().phase) {
      case kSaying:
        ctx.Goto(ctx.spec<IvrCaseStatusNode>().next);
        return;
      case kUnavailable:
        GiveUp(ctx);
        return;
      default:
        IvrDigitEntryStep::OnPromptEnd(ctx);
    }
  }
  void OnDigit(IvrStepContext& ctx, char digit) const override {
    if (ctx.state().phase == kSaying) {  // barge-in: the caller heard enough
      ctx.Goto(ctx.spec<IvrCaseStatusNode>().next);
      return;
    }
    IvrDigitEntryStep::OnDigit(ctx, digit);  // ignored unless collecting
  }
  void OnTimeout(IvrStepContext& ctx) const override {
    if (ctx.state().phase == kLookingUp) {
      ctx.Trace("lookup timeout");
      ctx.state().lookup_id = 0;  // a late answer is stale
      Unavailable(ctx);
      return;
    }
    IvrDigitEntryStep::OnTimeout(ctx);
  }
  void OnLookupResult(IvrStepContext& ctx, const CaseLookupResultEvent& r) const override {
    if (ctx.state().phase != kLookingUp) return;
    ctx.CancelTimer();
    const auto& s = ctx.spec<IvrCaseStatusNode>();
    switch (r.outcome) {
      case CaseLookupOutcome::kFound:
        ctx.Trace("lookup found " + std::string(ToString(r.status)));
        ctx.SetData("case_status", std::string(ToString(r.status)));
        ctx.SetData("case_open", IsOpen(r.status) ? "1" : "0");
        SayStatus(ctx, r.status);
        return;
      case CaseLookupOutcome::kNotFound:
        // Unknown number or wrong phone digits: one answer for both.
        ctx.Trace("lookup not found");
        ctx.state().pending_case.clear();  // the retry starts from the case number
        Reject(ctx, /*no_input=*/false, s.not_found_prompt);
        return;
      case CaseLookupOutcome::kError:
        ctx.Trace("lookup error");
        Unavailable(ctx);
        return;
    }
  }

 protected:
  // The case number first, then (pending_case set) the phone's last digits.
  Parts PartsOf(const IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrCaseStatusNode>();
    if (!ctx.state().pending_case.empty()) return {s.phone_prompts, s.phone_input, s.retry};
    return {s.prompts, s.input, s.retry};
  }
  void OnEntry(IvrStepContext& ctx, const std::string& digits) const override {
    const auto& s = ctx.spec<IvrCaseStatusNode>();
    if (ctx.state().pending_case.empty()) {
      if (!CaseNumber::IsValid(digits)) {
        ctx.Trace("invalid case number");
        Reject(ctx, /*no_input=*/false);
        return;
      }
      ctx.state().trace.case_number = digits;
      ctx.SetData("case_number", digits);
      ctx.state().pending_case = digits;
      ctx.Trace("case number taken; asking for the phone's last digits");
      Prompt(ctx, {});
      return;
    }
    if (ctx.state().case_lookups >= s.max_lookups_per_call) {
      ctx.Trace("case lookups of this call used up");
      ctx.Goto(s.retry.on_fail.empty() ? s.next : s.retry.on_fail);
      return;
    }
    ++ctx.state().case_lookups;
    ctx.state().phase = kLookingUp;
    ctx.LookupCase(ctx.state().pending_case, digits);
    ctx.StartTimer(s.lookup_timeout);
  }

 private:
  static constexpr int kLookingUp = kCollecting + 1;
  static constexpr int kSaying = kCollecting + 2;
  static constexpr int kUnavailable = kCollecting + 3;

  // "The status of case number" 0 1 2 ... "in progress".
  static void SayStatus(IvrStepContext& ctx, CaseStatus status) {
    const auto& s = ctx.spec<IvrCaseStatusNode>();
    std::vector<std::string> keys;
    if (!s.status_prompt.empty()) keys.push_back(ctx.Key(s.status_prompt));
    for (char d : ctx.state().pending_case) keys.push_back(ctx.Key(DigitPromptId(d)));
    keys.push_back(ctx.Key(CaseStatusPromptId(status)));
    ctx.state().phase = kSaying;
    ctx.PlayKeys(std::move(keys), /*barge_in=*/true);
  }
  static void Unavailable(IvrStepContext& ctx) {
    ctx.state().phase = kUnavailable;
    ctx.Play({ctx.spec<IvrCaseStatusNode>().unavailable_prompt}, /*barge_in=*/false);
  }
  // The registry could not answer: route as a failure (an operator can help).
  static void GiveUp(IvrStepContext& ctx) {
    const auto& s = ctx.spec<IvrCaseStatusNode>();
    ctx.Goto(s.retry.on_fail.empty() ? s.next : s.retry.on_fail);
  }
};

}  // namespace

const IvrStep& CaseStatusStep() {
  static const CaseStatusStepImpl step;
  return step;
}

}  // namespace gosline
