// R2: open or closed now, by the calendar with holidays; no prompt of its own
// (the branches say the hours).
#include "core/ivr/ivr_step.h"

namespace gosline {
namespace {

class HoursCheckStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrHoursCheckNode>();
    const bool open = s.calendar.IsOpen(ctx.now());
    ctx.Trace(open ? "open" : "closed");
    ctx.Goto(open ? s.open : s.closed);
  }
  void OnPromptEnd(IvrStepContext& /*ctx*/) const override {}
};

}  // namespace

const IvrStep& HoursCheckStep() {
  static const HoursCheckStepImpl step;
  return step;
}

}  // namespace gosline
