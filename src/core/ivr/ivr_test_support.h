// Test support (not part of gosline_ivr): a small menu tree built in code, and
// a simulated telephone line that carries out the engine's actions the way the
// telephony adapter does, with a simulated clock. Shared by the core and the
// configuration tests.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ivr/ivr_model.h"
#include "core/ivr/ivr_prompts.h"
#include "core/ivr/ivr_session.h"

namespace gosline::ivr_test {

inline Time At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Time{});
}

// What the adapter holds for one call while it carries out actions.
class SimulatedLine {
 public:
  SimulatedLine(std::shared_ptr<const IvrModel> model, Time start)
      : session_(std::move(model)), now_(start) {}

  std::vector<IvrAction> Start(const CallInfo& call = {"call-1", "115", "+79161234567", "77"}) {
    return Apply(session_.Start(call, now_));
  }
  // A key press, `after` the previous event.
  std::vector<IvrAction> Press(char key, Duration after = Duration{300}) {
    now_ += after;
    return Apply(session_.OnEvent(IvrEvent::Digit(now_, key)));
  }
  std::vector<IvrAction> PressAll(const std::string& keys) {
    std::vector<IvrAction> all;
    for (char k : keys) {
      auto a = Press(k);
      all.insert(all.end(), a.begin(), a.end());
    }
    return all;
  }
  // The current playback ends by itself.
  std::vector<IvrAction> PromptEnds(Duration after = Duration{2000}) {
    EXPECT_TRUE(playing_.has_value()) << "nothing is playing";
    if (!playing_) return {};
    now_ += after;
    const uint64_t id = playing_->playback_id;
    playing_.reset();
    return Apply(session_.OnEvent(IvrEvent::PromptFinished(now_, id)));
  }
  // The running timer reaches its due time.
  std::vector<IvrAction> TimerFires() {
    EXPECT_EQ(timers_.size(), 1u) << "expected exactly one running timer";
    if (timers_.empty()) return {};
    const auto [id, due] = *timers_.begin();
    timers_.erase(timers_.begin());
    if (due > now_) now_ = due;
    return Apply(session_.OnEvent(IvrEvent::TimerFired(now_, id)));
  }
  // The prompt ends and the caller stays silent until the timer fires.
  std::vector<IvrAction> Silence() {
    PromptEnds();
    return TimerFires();
  }
  std::vector<IvrAction> LookupAnswers(CaseLookupOutcome outcome,
                                       CaseStatus status = CaseStatus::kNew) {
    EXPECT_TRUE(lookup_.has_value()) << "no lookup was asked for";
    if (!lookup_) return {};
    now_ += Duration{50};
    CaseLookupResultEvent r{lookup_->request_id, outcome, status, ""};
    lookup_.reset();
    return Apply(session_.OnEvent(IvrEvent::LookupResult(now_, r)));
  }
  std::vector<IvrAction> Hangup() {
    now_ += Duration{100};
    return Apply(session_.OnEvent(IvrEvent::Hangup(now_)));
  }
  // R7: the caller starts speaking, then the recogniser answers.
  std::vector<IvrAction> SpeechStarts(Duration after = Duration{300}) {
    EXPECT_TRUE(listening_.has_value()) << "not listening";
    if (!listening_) return {};
    now_ += after;
    return Apply(session_.OnEvent(IvrEvent::SpeechStarted(now_, listening_->listen_id)));
  }
  std::vector<IvrAction> Heard(const std::string& text, double confidence,
                               Duration after = Duration{900}) {
    EXPECT_TRUE(listening_.has_value()) << "not listening";
    if (!listening_) return {};
    now_ += after;
    return Apply(session_.OnEvent(
        IvrEvent::SpeechResult(now_, SpeechResultEvent{listening_->listen_id, text, confidence})));
  }
  // Speech start and result together.
  std::vector<IvrAction> Say(const std::string& text, double confidence) {
    std::vector<IvrAction> all = SpeechStarts();
    const std::vector<IvrAction> more = Heard(text, confidence);
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
  std::vector<IvrAction> Send(const IvrEvent& e) {
    now_ = e.at;
    return Apply(session_.OnEvent(e));
  }

  // Carries out actions as the adapter would, checking the contract.
  std::vector<IvrAction> Apply(std::vector<IvrAction> actions) {
    for (const IvrAction& a : actions) {
      EXPECT_FALSE(ended_) << "an action after the call ended";
      if (const auto* p = std::get_if<PlayAction>(&a)) {
        EXPECT_FALSE(p->prompts.empty());
        playing_ = *p;
        heard_.insert(heard_.end(), p->prompts.begin(), p->prompts.end());
      } else if (const auto* s = std::get_if<StopPlaybackAction>(&a)) {
        EXPECT_TRUE(playing_ && playing_->playback_id == s->playback_id) << "stop of a stale playback";
        playing_.reset();
      } else if (const auto* t = std::get_if<StartTimerAction>(&a)) {
        timers_[t->timer_id] = t->due;
        EXPECT_LE(timers_.size(), 1u) << "more than one timer at a time";
      } else if (const auto* c = std::get_if<CancelTimerAction>(&a)) {
        EXPECT_EQ(timers_.erase(c->timer_id), 1u) << "cancel of an unknown timer";
      } else if (const auto* l = std::get_if<LookupCaseAction>(&a)) {
        lookup_ = *l;
      } else if (const auto* q = std::get_if<EnterQueueAction>(&a)) {
        queued_ = *q;
        ended_ = true;
      } else if (const auto* h = std::get_if<HangupAction>(&a)) {
        hung_up_ = *h;
        ended_ = true;
      } else if (const auto* g = std::get_if<SetLanguageAction>(&a)) {
        language_ = g->language;
      } else if (const auto* li = std::get_if<ListenAction>(&a)) {
        EXPECT_FALSE(li->phrases.empty());
        listening_ = *li;
      } else if (const auto* sl = std::get_if<StopListeningAction>(&a)) {
        EXPECT_TRUE(listening_ && listening_->listen_id == sl->listen_id)
            << "stop of a stale speech turn";
        listening_.reset();
      }
    }
    return actions;
  }

  IvrSession& session() { return session_; }
  Time now() const { return now_; }
  void set_now(Time t) { now_ = t; }
  const std::optional<PlayAction>& playing() const { return playing_; }
  const std::map<uint64_t, Time>& timers() const { return timers_; }
  const std::optional<LookupCaseAction>& lookup() const { return lookup_; }
  const std::optional<EnterQueueAction>& queued() const { return queued_; }
  const std::optional<HangupAction>& hung_up() const { return hung_up_; }
  const std::vector<std::string>& heard() const { return heard_; }
  const std::string& language() const { return language_; }
  bool ended() const { return ended_; }
  const std::optional<ListenAction>& listening() const { return listening_; }
  // Prompt keys of the current playback ({} when silent).
  std::vector<std::string> Playing() const { return playing_ ? playing_->prompts : std::vector<std::string>{}; }

 private:
  IvrSession session_;
  Time now_;
  std::optional<PlayAction> playing_;
  std::map<uint64_t, Time> timers_;
  std::optional<LookupCaseAction> lookup_;
  std::optional<EnterQueueAction> queued_;
  std::optional<HangupAction> hung_up_;
  std::vector<std::string> heard_;
  std::optional<ListenAction> listening_;
  std::string language_;
  bool ended_ = false;
};

template <typename A>
int CountOf(const std::vector<IvrAction>& actions) {
  int n = 0;
  for (const IvrAction& a : actions) n += std::holds_alternative<A>(a) ? 1 : 0;
  return n;
}
template <typename A>
std::optional<A> FirstOf(const std::vector<IvrAction>& actions) {
  for (const IvrAction& a : actions) {
    if (const auto* x = std::get_if<A>(&a)) return *x;
  }
  return std::nullopt;
}

inline void AddPrompt(IvrModel& m, const std::string& id) {
  m.prompts[id]["ru"] = IvrPromptText{"ru " + id, {}, {}};
  m.prompts[id]["en"] = IvrPromptText{"en " + id, {}, {}};
}

// A tree like the demo's, small enough to read in a test:
//   greeting (9 = English) -> main
//   main: 1 info (play) -> main, 2 queue_a, 3 account (collect) -> queue_a,
//         7 case (status) -> bye, 0 hours -> queue_b | closed -> bye,
//         * code (service code: 12 -> queue_a, 5 -> answer), on_fail queue_b
//   answer (password) -> main
// Hours: Mon-Fri 09:00-18:00 Moscow time, 2026-01-07 a holiday.
inline IvrModel TestModel() {
  IvrModel m;
  m.start = "greeting";
  m.default_language = "ru";
  m.languages = {"ru", "en"};
  for (const char* p : {"greeting", "main", "invalid", "noinput", "info", "queue_wait", "hold",
                        "account", "ask_case", "bad_case", "no_case", "case_down", "case_intro",
                        "code", "bad_code", "closed", "bye", "answer/password"}) {
    AddPrompt(m, p);
  }
  AddDefaultIvrPrompts(m);

  auto add = [&m](std::string id, auto spec, std::string topic = {}) {
    IvrNode n;
    n.id = id;
    n.topic = std::move(topic);
    n.spec = std::move(spec);
    m.nodes[id] = std::move(n);
  };
  add("greeting", IvrLanguageSelectNode{{"greeting"}, {{'9', "en"}}, Duration{2000}, "main"});
  IvrMenuNode main;
  main.prompts = {"main"};
  main.options = {{'1', "info"}, {'2', "queue_a"}, {'3', "account"}, {'7', "case"},
                  {'0', "hours"}, {'*', "code"}};
  main.timeout = Duration{5000};
  main.retry = IvrRetryPolicy{2, "invalid", "noinput", "queue_b"};
  add("main", main);
  add("info", IvrPlayNode{{"info"}, true, "main"});
  add("queue_a", IvrQueueNode{"q_a", {"queue_wait"}, {"hold"}}, "topic_a");
  add("queue_b", IvrQueueNode{"q_b", {}, {"hold"}}, "topic_b");
  IvrCollectDigitsNode account;
  account.prompts = {"account"};
  account.input = IvrDigitInput{3, 5, '#', Duration{5000}, Duration{3000}};
  account.retry = IvrRetryPolicy{1, "invalid", "noinput", "queue_b"};
  account.variable = "account";
  account.next = "queue_a";
  add("account", account);
  IvrCaseStatusNode cs;
  cs.prompts = {"ask_case"};
  cs.retry = IvrRetryPolicy{2, "bad_case", "noinput", "queue_b"};
  cs.not_found_prompt = "no_case";
  cs.unavailable_prompt = "case_down";
  cs.status_prompt = "case_intro";
  cs.lookup_timeout = Duration{4000};
  cs.next = "bye";
  add("case", cs, "application_status");
  IvrHoursCheckNode hours;
  hours.hours_ref = "test business hours";
  WeeklyHours weekly;
  for (int d = 0; d < 5; ++d) weekly.days[static_cast<size_t>(d)] = DailyHours{9 * 60, 18 * 60};
  using std::chrono::January;
  const std::chrono::sys_days holiday{std::chrono::year{2026} / January / 7};
  hours.calendar = BusinessCalendar(weekly, std::chrono::minutes{180}, {holiday}, {}, {9 * 60, 18 * 60});
  hours.open = "queue_b";
  hours.closed = "closed";
  add("hours", hours);
  add("closed", IvrPlayNode{{"closed"}, false, "bye"});
  IvrServiceCodeNode code;
  code.prompts = {"code"};
  code.input = IvrDigitInput{1, 2, '#', Duration{5000}, Duration{3000}};
  code.retry = IvrRetryPolicy{1, "bad_code", "noinput", "main"};
  code.codes = {{"12", "queue_a"}, {"5", "answer"}};
  add("code", code);
  add("answer", IvrTypicalAnswerNode{"answer/password", true, "main"}, "registration");
  add("bye", IvrHangupNode{{"bye"}});
  return m;
}

inline std::shared_ptr<const IvrModel> Shared(IvrModel m) {
  return std::make_shared<const IvrModel>(std::move(m));
}

}  // namespace gosline::ivr_test
