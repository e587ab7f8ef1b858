// Nodes that only speak, then go on or end: play, typical answer, queue, hangup.
#include "core/ivr/ivr_step.h"

namespace gosline {
namespace {

class PlayStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrPlayNode>();
    ctx.Play(s.prompts, s.barge_in);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override { ctx.Goto(ctx.spec<IvrPlayNode>().next); }
  // Only reached with barge-in: the key skips the rest and is dropped.
  void OnDigit(IvrStepContext& ctx, char /*digit*/) const override {
    ctx.Trace("skipped");
    ctx.Goto(ctx.spec<IvrPlayNode>().next);
  }
};

// R6: the answer to a typical question, read out without an operator.
class TypicalAnswerStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrTypicalAnswerNode>();
    ctx.Trace("answer " + s.answer);
    ctx.Play({s.answer}, s.barge_in);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override {
    ctx.Goto(ctx.spec<IvrTypicalAnswerNode>().next);
  }
  void OnDigit(IvrStepContext& ctx, char /*digit*/) const override {
    ctx.Trace("skipped");
    ctx.Goto(ctx.spec<IvrTypicalAnswerNode>().next);
  }
};

class QueueStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    ctx.Play(ctx.spec<IvrQueueNode>().prompts, /*barge_in=*/false);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrQueueNode>();
    ctx.Trace("queue " + s.queue);
    ctx.EnterQueue(s.queue, s.waiting_prompts);
  }
};

class HangupStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    ctx.Play(ctx.spec<IvrHangupNode>().prompts, /*barge_in=*/false);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override { ctx.Hangup(IvrEndReason::kCompleted); }
};

}  // namespace

const IvrStep& PlayStep() {
  static const PlayStepImpl step;
  return step;
}
const IvrStep& TypicalAnswerStep() {
  static const TypicalAnswerStepImpl step;
  return step;
}
const IvrStep& QueueStep() {
  static const QueueStepImpl step;
  return step;
}
const IvrStep& HangupStep() {
  static const HangupStepImpl step;
  return step;
}

}  // namespace gosline
