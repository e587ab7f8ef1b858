// R7: the caller says what the call is about, or presses its key. The
// recogniser's text is matched to an intent by its phrases; a sure match
// routes like a menu choice, an unsure one is confirmed first, none (or
// silence) re-prompts, and the retries end on the on_fail route (a key menu).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "core/ivr/ivr_step.h"
#include "core/speech/spoken_phrases.h"

namespace gosline {
namespace {

// Longest a caller's speech may take to come back as a result: the
// recogniser's answer is guarded so a lost one cannot hold the call.
constexpr Duration kRecognitionGuard{15000};

std::string Percent(double confidence) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", confidence);
  return buf;
}

class ListenStepImpl final : public IvrStep {
 public:
  void Enter(IvrStepContext& ctx) const override { Ask(ctx, {}); }

  void OnPromptEnd(IvrStepContext& ctx) const override {
    const int phase = ctx.state().phase;
    if (phase == kAsking || phase == kConfirming) ctx.StartTimer(Spec(ctx).timeout);
  }

  void OnSpeechStart(IvrStepContext& ctx) const override {
    int& phase = ctx.state().phase;
    if (phase == kAsking) phase = kHearing;
    if (phase == kConfirming) phase = kHearingConfirm;
    ctx.StartTimer(kRecognitionGuard);
  }

  void OnSpeechResult(IvrStepContext& ctx, const SpeechResultEvent& r) const override {
    const auto& s = Spec(ctx);
    IvrTrace& trace = ctx.state().trace;
    trace.speech_text = r.text;
    trace.speech_confidence = r.confidence;
    ctx.Trace("heard \"" + r.text + "\" " + Percent(r.confidence));
    const int phase = ctx.state().phase;
    if (phase == kConfirming || phase == kHearingConfirm) {
      const std::map<std::string, std::vector<std::string>> answers{
          {"yes", YesPhrases(ctx.state().language)}, {"no", NoPhrases(ctx.state().language)}};
      const std::optional<std::string> answer = MatchIntent(r.text, answers);
      if (answer == "yes") {
        Accept(ctx, ctx.state().collected, "confirmed");
      } else {
        ctx.Trace(answer == "no" ? "not confirmed" : "no_match");
        NotUnderstood(ctx);
      }
      return;
    }
    const std::optional<std::string> intent = MatchIntent(r.text, s.PhrasesIn(ctx.state().language));
    if (!intent) {
      ctx.Trace("no_match");
      NotUnderstood(ctx);
      return;
    }
    if (r.confidence >= s.min_confidence) {
      Accept(ctx, *intent, "speech");
    } else {
      Confirm(ctx, *intent);
    }
  }

  void OnDigit(IvrStepContext& ctx, char digit) const override {
    const auto& s = Spec(ctx);
    const int phase = ctx.state().phase;
    if (phase == kConfirming || phase == kHearingConfirm) {
      if (digit == '1') {
        Accept(ctx, ctx.state().collected, "confirmed");
      } else {
        ctx.Trace(std::string("not confirmed, key ") + digit);
        NotUnderstood(ctx);
      }
      return;
    }
    if (const IvrListenIntent* i = s.FindKey(digit)) {
      ++ctx.state().trace.key_fallbacks;
      Accept(ctx, i->id, "key");
      return;
    }
    ctx.Trace(std::string("invalid ") + digit);
    if (ctx.Retry(s.retry, /*no_input=*/false)) Ask(ctx, s.retry.invalid_prompt);
  }

  void OnTimeout(IvrStepContext& ctx) const override {
    const auto& s = Spec(ctx);
    const int phase = ctx.state().phase;
    if (phase == kHearing || phase == kHearingConfirm) {
      ctx.Trace("no recognition result");
      NotUnderstood(ctx);
      return;
    }
    ctx.Trace("no_input");
    ++ctx.state().trace.speech_reprompts;
    if (ctx.Retry(s.retry, /*no_input=*/true)) Ask(ctx, s.retry.no_input_prompt);
  }

 private:
  static constexpr int kAsking = 0;
  static constexpr int kHearing = 1;         // speech started, result awaited
  static constexpr int kConfirming = 2;      // "did you say ...?"
  static constexpr int kHearingConfirm = 3;

  static const IvrListenNode& Spec(const IvrStepContext& ctx) {
    return ctx.spec<IvrListenNode>();
  }

  // The question (after `first`, e.g. "sorry, I didn't catch that"), with
  // listening for every intent's phrases in the caller's language.
  static void Ask(IvrStepContext& ctx, const std::string& first) {
    const auto& s = Spec(ctx);
    ctx.state().phase = kAsking;
    ctx.state().collected.clear();
    std::vector<std::string> prompts{first};
    prompts.insert(prompts.end(), s.prompts.begin(), s.prompts.end());
    std::vector<std::string> phrases;
    for (const auto& [intent, list] : s.PhrasesIn(ctx.state().language)) {
      phrases.insert(phrases.end(), list.begin(), list.end());
    }
    ctx.Play(prompts, /*barge_in=*/true);
    if (!phrases.empty()) ctx.Listen(std::move(phrases), /*sequence=*/false);
  }

  static void Confirm(IvrStepContext& ctx, const std::string& intent_id) {
    const auto& s = Spec(ctx);
    const IvrListenIntent* intent = s.FindIntent(intent_id);
    ctx.Trace("confirm " + intent_id);
    ctx.state().phase = kConfirming;
    ctx.state().collected = intent_id;
    ctx.Play({s.confirm_prompt, intent != nullptr ? intent->prompt : std::string(),
              s.confirm_hint_prompt},
             /*barge_in=*/true);
    std::vector<std::string> phrases = YesPhrases(ctx.state().language);
    const auto& no = NoPhrases(ctx.state().language);
    phrases.insert(phrases.end(), no.begin(), no.end());
    if (!phrases.empty()) ctx.Listen(std::move(phrases), /*sequence=*/false);
  }

  static void NotUnderstood(IvrStepContext& ctx) {
    const auto& s = Spec(ctx);
    ++ctx.state().trace.speech_reprompts;
    if (ctx.Retry(s.retry, /*no_input=*/false)) Ask(ctx, s.no_match_prompt);
  }

  static void Accept(IvrStepContext& ctx, const std::string& intent_id, const std::string& by) {
    const IvrListenIntent* intent = Spec(ctx).FindIntent(intent_id);
    if (intent == nullptr) {  // only a broken model gets here
      ctx.Hangup(IvrEndReason::kFlowError);
      return;
    }
    IvrTrace& trace = ctx.state().trace;
    trace.intent = intent->id;
    trace.intent_by = by;
    ctx.SetData("intent", intent->id);
    if (by != "key" && !trace.speech_text.empty()) {
      ctx.SetData("speech_text", trace.speech_text);
      ctx.SetData("speech_confidence", Percent(trace.speech_confidence.value_or(0.0)));
    }
    ctx.Trace("intent " + intent->id + " by " + by);
    ctx.StopListening();
    ctx.Goto(intent->next);
  }
};

}  // namespace

const IvrStep& ListenStep() {
  static const ListenStepImpl step;
  return step;
}

}  // namespace gosline
