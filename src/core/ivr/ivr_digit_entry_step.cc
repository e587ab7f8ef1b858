#include "core/ivr/ivr_digit_entry_step.h"

#include "core/ivr/ivr_digit_collector.h"

namespace gosline {

void IvrDigitEntryStep::Enter(IvrStepContext& ctx) const { Prompt(ctx, {}); }

void IvrDigitEntryStep::Prompt(IvrStepContext& ctx, const std::string& first) const {
  ctx.state().collected.clear();
  ctx.state().phase = kCollecting;
  std::vector<std::string> prompts{first};
  const auto& own = PartsOf(ctx).prompts;
  prompts.insert(prompts.end(), own.begin(), own.end());
  ctx.Play(prompts, /*barge_in=*/true);
}

void IvrDigitEntryStep::OnPromptEnd(IvrStepContext& ctx) const {
  if (ctx.state().phase != kCollecting) return;
  ctx.StartTimer(EntryTimeout(PartsOf(ctx).input, ctx.state().collected));
}

void IvrDigitEntryStep::OnDigit(IvrStepContext& ctx, char digit) const {
  if (ctx.state().phase != kCollecting) return;
  const Parts parts = PartsOf(ctx);
  std::string& collected = ctx.state().collected;
  switch (OnEntryKey(parts.input, collected, digit)) {
    case DigitEntry::kNeedMore:
      ctx.StartTimer(EntryTimeout(parts.input, collected));
      return;
    case DigitEntry::kComplete: {
      ctx.CancelTimer();
      const std::string entry = collected;
      OnEntry(ctx, entry);
      return;
    }
    case DigitEntry::kInvalid:
    case DigitEntry::kNoInput:
      ctx.Trace("invalid entry");
      Reject(ctx, /*no_input=*/false);
      return;
  }
}

void IvrDigitEntryStep::OnTimeout(IvrStepContext& ctx) const {
  if (ctx.state().phase != kCollecting) return;
  const std::string entry = ctx.state().collected;
  switch (OnEntryTimeout(PartsOf(ctx).input, entry)) {
    case DigitEntry::kComplete:
      OnEntry(ctx, entry);
      return;
    case DigitEntry::kNoInput:
      ctx.Trace("no_input");
      Reject(ctx, /*no_input=*/true);
      return;
    case DigitEntry::kInvalid:
    case DigitEntry::kNeedMore:
      ctx.Trace("entry too short");
      Reject(ctx, /*no_input=*/false);
      return;
  }
}

void IvrDigitEntryStep::Reject(IvrStepContext& ctx, bool no_input,
                               const std::string& first) const {
  const IvrRetryPolicy& retry = PartsOf(ctx).retry;
  if (!ctx.Retry(retry, no_input)) return;
  if (!first.empty()) {
    Prompt(ctx, first);
  } else {
    Prompt(ctx, no_input ? retry.no_input_prompt : retry.invalid_prompt);
  }
}

}  // namespace gosline
