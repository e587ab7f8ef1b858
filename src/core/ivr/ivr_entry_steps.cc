// Collect digits into a variable; a service code that jumps to a topic (R5).
#include "core/ivr/ivr_digit_entry_step.h"

namespace gosline {
namespace {

class CollectDigitsStepImpl final : public IvrDigitEntryStep {
 protected:
  Parts PartsOf(const IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrCollectDigitsNode>();
    return {s.prompts, s.input, s.retry};
  }
  void OnEntry(IvrStepContext& ctx, const std::string& digits) const override {
    const auto& s = ctx.spec<IvrCollectDigitsNode>();
    ctx.Trace("collected " + s.variable);
    ctx.SetData(s.variable, digits);
    ctx.Goto(s.next);
  }
};

class ServiceCodeStepImpl final : public IvrDigitEntryStep {
 protected:
  Parts PartsOf(const IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrServiceCodeNode>();
    return {s.prompts, s.input, s.retry};
  }
  void OnEntry(IvrStepContext& ctx, const std::string& digits) const override {
    const auto& s = ctx.spec<IvrServiceCodeNode>();
    const auto it = s.codes.find(digits);
    if (it == s.codes.end()) {
      ctx.Trace("unknown code " + digits);
      Reject(ctx, /*no_input=*/false);
      return;
    }
    ctx.Trace("code " + digits);
    ctx.state().trace.service_code = digits;
    ctx.SetData("service_code", digits);
    ctx.Goto(it->second);
  }
};

}  // namespace

const IvrStep& CollectDigitsStep() {
  static const CollectDigitsStepImpl step;
  return step;
}
const IvrStep& ServiceCodeStep() {
  static const ServiceCodeStepImpl step;
  return step;
}

}  // namespace gosline
