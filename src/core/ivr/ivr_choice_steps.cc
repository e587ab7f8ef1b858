// Nodes where one key chooses: the menu and the language choice.
#include <string>

#include "core/ivr/ivr_step.h"

namespace gosline {
namespace {

class MenuStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    ctx.Play(ctx.spec<IvrMenuNode>().prompts, /*barge_in=*/true);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override {
    ctx.StartTimer(ctx.spec<IvrMenuNode>().timeout);
  }
  void OnDigit(IvrStepContext& ctx, char digit) const override {
    const auto& s = ctx.spec<IvrMenuNode>();
    const auto it = s.options.find(digit);
    if (it != s.options.end()) {
      ctx.Trace(std::string("choice ") + digit);
      ctx.Goto(it->second);
      return;
    }
    ctx.Trace(std::string("invalid ") + digit);
    if (ctx.Retry(s.retry, /*no_input=*/false)) Reprompt(ctx, s.retry.invalid_prompt);
  }
  void OnTimeout(IvrStepContext& ctx) const override {
    const auto& s = ctx.spec<IvrMenuNode>();
    ctx.Trace("no_input");
    if (ctx.Retry(s.retry, /*no_input=*/true)) Reprompt(ctx, s.retry.no_input_prompt);
  }

 private:
  static void Reprompt(IvrStepContext& ctx, const std::string& first) {
    std::vector<std::string> prompts{first};
    const auto& menu = ctx.spec<IvrMenuNode>().prompts;
    prompts.insert(prompts.end(), menu.begin(), menu.end());
    ctx.Play(prompts, /*barge_in=*/true);
  }
};

// Silence or an unlisted key keeps the current language: a caller who does
// not understand the offer must still reach the menu.
class LanguageSelectStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override {
    ctx.Play(ctx.spec<IvrLanguageSelectNode>().prompts, /*barge_in=*/true);
  }
  void OnPromptEnd(IvrStepContext& ctx) const override {
    ctx.StartTimer(ctx.spec<IvrLanguageSelectNode>().timeout);
  }
  void OnDigit(IvrStepContext& ctx, char digit) const override {
    const auto& s = ctx.spec<IvrLanguageSelectNode>();
    const auto it = s.languages.find(digit);
    if (it != s.languages.end()) {
      ctx.Trace("language " + it->second);
      ctx.SetLanguage(it->second);
    } else {
      ctx.Trace(std::string("kept language, key ") + digit);
    }
    ctx.Goto(s.next);
  }
  void OnTimeout(IvrStepContext& ctx) const override {
    ctx.Trace("no_input");
    ctx.Goto(ctx.spec<IvrLanguageSelectNode>().next);
  }
};

}  // namespace

const IvrStep& MenuStep() {
  static const MenuStepImpl step;
  return step;
}
const IvrStep& LanguageSelectStep() {
  static const LanguageSelectStepImpl step;
  return step;
}

}  // namespace gosline
