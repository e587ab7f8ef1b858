#include "core/ivr/ivr_session.h"

#include <gtest/gtest.h>

#include <random>

#include "core/cases/case_number.h"
#include "core/ivr/ivr_test_support.h"

namespace gosline {
namespace {

using ivr_test::At;
using ivr_test::CountOf;
using ivr_test::FirstOf;
using ivr_test::Shared;
using ivr_test::SimulatedLine;
using ivr_test::TestModel;
using Keys = std::vector<std::string>;

// Tuesday 2026-03-10 12:00 Moscow time: the test hours are open.
const char* const kWorkdayNoon = "2026-03-10T12:00:00+03:00";

class IvrSessionTest : public ::testing::Test {
 protected:
  explicit IvrSessionTest(IvrModel model = TestModel()) : model_(Shared(std::move(model))) {}

  SimulatedLine Line(const char* at = kWorkdayNoon) { return SimulatedLine(model_, At(at)); }

  // Greeting, silence at the language offer: the main menu plays.
  void ToMainMenu(SimulatedLine& line) {
    line.Start();
    line.PromptEnds();
    line.TimerFires();
    ASSERT_EQ(line.Playing(), Keys{"ru/main"});
  }

  std::shared_ptr<const IvrModel> model_;
};

TEST_F(IvrSessionTest, R5_StartSetsRussianAndPlaysTheGreetingWithBargeIn) {
  SimulatedLine line = Line();
  const auto actions = line.Start();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(std::get<SetLanguageAction>(actions[0]).language, "ru");
  const auto& play = std::get<PlayAction>(actions[1]);
  EXPECT_EQ(play.prompts, Keys{"ru/greeting"});
  EXPECT_TRUE(play.barge_in);
  EXPECT_FALSE(line.session().finished());
  // The language offer waits 2 s after the greeting ends.
  const auto after = line.PromptEnds();
  const auto timer = FirstOf<StartTimerAction>(after);
  ASSERT_TRUE(timer.has_value());
  EXPECT_EQ(timer->due, line.now() + Duration{2000});
}

TEST_F(IvrSessionTest, R5_SilenceAtTheLanguageOfferKeepsRussian) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  EXPECT_EQ(line.session().language(), "ru");
}

TEST_F(IvrSessionTest, R5_NineSwitchesToEnglishForEveryFollowingPrompt) {
  SimulatedLine line = Line();
  line.Start();
  const auto actions = line.Press('9');  // during the greeting: barge-in
  ASSERT_GE(actions.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<StopPlaybackAction>(actions[0]));
  EXPECT_EQ(std::get<SetLanguageAction>(actions[1]).language, "en");
  EXPECT_EQ(line.Playing(), Keys{"en/main"});
  line.PromptEnds();
  line.Press('5');  // invalid: the retry prompts are English too
  EXPECT_EQ(line.Playing(), (Keys{"en/invalid", "en/main"}));
  line.Press('2');
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->language, "en");
  EXPECT_EQ(line.queued()->waiting_prompts, Keys{"en/hold"});
  EXPECT_EQ(line.session().trace().language, "en");
}

TEST_F(IvrSessionTest, R5_MenuDigitLeadsToTheTopicsQueue) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.PromptEnds();  // the menu waits for a key
  EXPECT_EQ(line.timers().size(), 1u);
  line.Press('2');
  EXPECT_TRUE(line.timers().empty());  // the menu's timer was cancelled
  EXPECT_EQ(line.Playing(), Keys{"ru/queue_wait"});
  EXPECT_FALSE(line.playing()->barge_in);
  const auto actions = line.PromptEnds();
  const auto q = FirstOf<EnterQueueAction>(actions);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->queue_id, "q_a");
  EXPECT_EQ(q->topic, "topic_a");
  EXPECT_EQ(q->language, "ru");
  EXPECT_EQ(q->data.at("dialled_number"), "115");
  EXPECT_EQ(q->data.at("caller_region"), "77");
  EXPECT_TRUE(line.session().finished());
  EXPECT_EQ(line.session().trace().queue, "q_a");
  EXPECT_EQ(line.session().trace().topic, "topic_a");
  EXPECT_EQ(line.session().trace().end_reason, "queued");
}

TEST_F(IvrSessionTest, R5_InvalidDigitPlaysTheInvalidPromptThenRetriesThenOnFail) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.PromptEnds();
  line.Press('5');
  EXPECT_EQ(line.Playing(), (Keys{"ru/invalid", "ru/main"}));
  line.Press('6');  // barge-in on the re-prompt, still wrong
  EXPECT_EQ(line.Playing(), (Keys{"ru/invalid", "ru/main"}));
  line.PromptEnds();
  line.Press('8');  // third wrong key: retries (2) are spent -> on_fail queue_b
  ASSERT_TRUE(line.queued().has_value());  // queue_b has no prompt: queued at once
  EXPECT_EQ(line.queued()->queue_id, "q_b");
}

TEST_F(IvrSessionTest, R5_SilenceRetriesWithTheNoInputPromptThenOnFail) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Silence();
  EXPECT_EQ(line.Playing(), (Keys{"ru/noinput", "ru/main"}));
  line.Silence();
  EXPECT_EQ(line.Playing(), (Keys{"ru/noinput", "ru/main"}));
  line.Silence();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");
}

TEST_F(IvrSessionTest, R5_TimeoutIsCountedFromTheEndOfThePrompt) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  const auto actions = line.PromptEnds(Duration{7000});
  const auto timer = FirstOf<StartTimerAction>(actions);
  ASSERT_TRUE(timer.has_value());
  EXPECT_EQ(timer->due, line.now() + Duration{5000});
}

class IvrSessionNoFailRouteTest : public IvrSessionTest {
 protected:
  static IvrModel Model() {
    IvrModel m = TestModel();
    std::get<IvrMenuNode>(m.nodes.at("main").spec).retry.on_fail.clear();
    return m;
  }
  IvrSessionNoFailRouteTest() : IvrSessionTest(Model()) {}
};

TEST_F(IvrSessionNoFailRouteTest, R5_WithoutOnFailTheCallEndsWithTheReason) {
  SimulatedLine silent = Line();
  ToMainMenu(silent);
  for (int i = 0; i < 3; ++i) silent.Silence();
  ASSERT_TRUE(silent.hung_up().has_value());
  EXPECT_EQ(silent.hung_up()->reason, IvrEndReason::kNoInput);

  SimulatedLine wrong = Line();
  ToMainMenu(wrong);
  wrong.PressAll("555");
  ASSERT_TRUE(wrong.hung_up().has_value());
  EXPECT_EQ(wrong.hung_up()->reason, IvrEndReason::kInvalidInput);
  EXPECT_EQ(wrong.session().trace().end_reason, "invalid_input");
}

TEST_F(IvrSessionTest, R5_BargeInStopsThePlaybackAndUsesTheKey) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  const uint64_t menu_playback = line.playing()->playback_id;
  const auto actions = line.Press('1');
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(std::get<StopPlaybackAction>(actions[0]).playback_id, menu_playback);
  EXPECT_EQ(line.Playing(), Keys{"ru/info"});
}

TEST_F(IvrSessionTest, R5_KeysDuringAPromptWithoutBargeInAreDiscarded) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('2');  // queue_a plays its message without barge-in
  EXPECT_TRUE(line.Press('0').empty());
  EXPECT_EQ(line.Playing(), Keys{"ru/queue_wait"});
  EXPECT_EQ(line.session().trace().digits, "20");  // still recorded
  line.PromptEnds();
  EXPECT_EQ(line.queued()->queue_id, "q_a");
}

TEST_F(IvrSessionTest, R5_PlayWithBargeInSkipsToTheNextNodeAndDropsTheKey) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('1');  // info, barge-in allowed
  line.Press('2');  // skips info; the key is not taken as a menu choice
  EXPECT_EQ(line.Playing(), Keys{"ru/main"});
  EXPECT_FALSE(line.ended());
}

TEST_F(IvrSessionTest, R5_ServiceCodeJumpsStraightToTheTopic) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('*');
  EXPECT_EQ(line.Playing(), Keys{"ru/code"});
  line.PressAll("12");  // two digits = max: complete without '#'
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_a");
  EXPECT_EQ(line.queued()->data.at("service_code"), "12");
  EXPECT_EQ(line.session().trace().service_code, "12");
}

TEST_F(IvrSessionTest, R5_ServiceCodeShorterThanMaxEndsWithHashOrAPause) {
  SimulatedLine hash = Line();
  ToMainMenu(hash);
  hash.Press('*');
  hash.PressAll("5#");
  EXPECT_EQ(hash.Playing(), Keys{"ru/answer/password"});  // the typical answer (R6)
  EXPECT_EQ(hash.session().trace().topic, "registration");

  SimulatedLine pause = Line();
  ToMainMenu(pause);
  pause.Press('*');
  pause.Press('5');
  pause.TimerFires();  // inter-digit timeout ends the entry
  EXPECT_EQ(pause.Playing(), Keys{"ru/answer/password"});
}

TEST_F(IvrSessionTest, R5_UnknownServiceCodeRePromptsThenFallsBackToTheMenu) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('*');
  line.PressAll("99");
  EXPECT_EQ(line.Playing(), (Keys{"ru/bad_code", "ru/code"}));
  line.PressAll("98");  // retries: 1 -> on_fail main
  EXPECT_EQ(line.Playing(), Keys{"ru/main"});
}

TEST_F(IvrSessionTest, R6_TypicalAnswerIsReadThenTheMenuReturns) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('*');
  line.PressAll("5#");
  line.PromptEnds(Duration{30000});
  EXPECT_EQ(line.Playing(), Keys{"ru/main"});
}

TEST_F(IvrSessionTest, R5_CollectDigitsStoresTheVariableForTheQueue) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('3');
  line.PressAll("4711#");
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->data.at("account"), "4711");
}

TEST_F(IvrSessionTest, R5_CollectDigitsTooShortIsInvalid) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('3');
  line.PressAll("47#");
  EXPECT_EQ(line.Playing(), (Keys{"ru/invalid", "ru/account"}));
}

// ------------------------------------------------------------- case status

TEST_F(IvrSessionTest, R16_ValidNumberIsLookedUpAndItsStatusSaid) {
  const std::string number = CaseNumber::FromSequence(421);  // "000000421" + check digit
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  EXPECT_EQ(line.Playing(), Keys{"ru/ask_case"});
  // The number alone is not looked up: the phone's last digits come first.
  EXPECT_EQ(CountOf<LookupCaseAction>(line.PressAll(number)), 0);
  EXPECT_EQ(line.Playing(), Keys{"ru/case_status/phone_last4"});
  const auto actions = line.PressAll("4567");
  const auto lookup = FirstOf<LookupCaseAction>(actions);
  ASSERT_TRUE(lookup.has_value());
  EXPECT_EQ(lookup->case_number, number);
  EXPECT_EQ(lookup->phone_last4, "4567");
  EXPECT_EQ(line.timers().size(), 1u);  // guards the registry's answer

  line.LookupAnswers(CaseLookupOutcome::kFound, CaseStatus::kInProgress);
  EXPECT_TRUE(line.timers().empty());
  Keys expected{"ru/case_intro"};
  for (char d : number) expected.push_back(std::string("ru/digit/") + d);
  expected.push_back("ru/case_status/in_progress");
  EXPECT_EQ(line.Playing(), expected);
  EXPECT_EQ(line.session().trace().case_number, number);
  line.PromptEnds();
  EXPECT_EQ(line.Playing(), Keys{"ru/bye"});  // next: goodbye
  line.PromptEnds();
  ASSERT_TRUE(line.hung_up().has_value());
  EXPECT_EQ(line.hung_up()->reason, IvrEndReason::kCompleted);
}

TEST_F(IvrSessionTest, R16_WrongCheckDigitRePromptsWithoutAskingTheRegistry) {
  std::string number = CaseNumber::FromSequence(421);
  number.back() = number.back() == '9' ? '0' : static_cast<char>(number.back() + 1);
  ASSERT_FALSE(CaseNumber::IsValid(number));
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  const auto actions = line.PressAll(number);
  EXPECT_EQ(CountOf<LookupCaseAction>(actions), 0);
  EXPECT_EQ(line.Playing(), (Keys{"ru/bad_case", "ru/ask_case"}));
  // The second try, right, is looked up with the phone's last digits.
  line.PressAll(CaseNumber::FromSequence(421));
  EXPECT_EQ(CountOf<LookupCaseAction>(line.PressAll("4567")), 1);
}

TEST_F(IvrSessionTest, R16_UnknownCaseRePromptsAndAnOpenCaseIsPassedToTheQueue) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  line.PressAll(CaseNumber::FromSequence(7));
  line.PressAll("4567");
  line.LookupAnswers(CaseLookupOutcome::kNotFound);
  EXPECT_EQ(line.Playing(), (Keys{"ru/no_case", "ru/ask_case"}));  // from the case number again
  line.PressAll(CaseNumber::FromSequence(8));
  line.PressAll("4567");
  line.LookupAnswers(CaseLookupOutcome::kFound, CaseStatus::kEscalated);
  EXPECT_EQ(line.Playing().back(), "ru/case_status/escalated");
  line.Press('1');  // barge-in: heard enough -> next
  EXPECT_EQ(line.Playing(), Keys{"ru/bye"});
}

TEST_F(IvrSessionTest, R16_RegistryTimeoutOrErrorGoesToAnOperatorAndLateAnswersAreIgnored) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  line.PressAll(CaseNumber::FromSequence(5));
  line.PressAll("4567");
  const LookupCaseAction asked = *line.lookup();
  line.TimerFires();  // 4 s without an answer
  EXPECT_EQ(line.Playing(), Keys{"ru/case_down"});
  CaseLookupResultEvent late{asked.request_id, CaseLookupOutcome::kFound, CaseStatus::kNew, ""};
  EXPECT_TRUE(line.Send(IvrEvent::LookupResult(line.now() + Duration{10}, late)).empty());
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");  // on_fail
  EXPECT_EQ(line.queued()->data.at("case_number"), CaseNumber::FromSequence(5));

  SimulatedLine error = Line();
  ToMainMenu(error);
  error.Press('7');
  error.PressAll(CaseNumber::FromSequence(5));
  error.PressAll("4567");
  error.LookupAnswers(CaseLookupOutcome::kError);
  EXPECT_EQ(error.Playing(), Keys{"ru/case_down"});
}

// R16: each call has a bounded number of lookups, so no caller can try the
// 10 000 phone endings of a case; past the bound the call goes to on_fail.
class IvrCaseLookupLimitTest : public IvrSessionTest {
 protected:
  static IvrModel OneLookupAndManyRetries() {
    IvrModel m = TestModel();
    auto& cs = std::get<IvrCaseStatusNode>(m.nodes.at("case").spec);
    cs.max_lookups_per_call = 2;
    cs.retry.retries = 5;
    return m;
  }
  IvrCaseLookupLimitTest() : IvrSessionTest(OneLookupAndManyRetries()) {}
};

TEST_F(IvrCaseLookupLimitTest, R16_LookupsPerCallAreBounded) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  for (const char* ending : {"0000", "0001"}) {
    line.PressAll(CaseNumber::FromSequence(7));
    ASSERT_EQ(CountOf<LookupCaseAction>(line.PressAll(ending)), 1) << ending;
    line.LookupAnswers(CaseLookupOutcome::kNotFound);
  }
  line.PressAll(CaseNumber::FromSequence(7));
  EXPECT_EQ(CountOf<LookupCaseAction>(line.PressAll("0002")), 0);
  for (int i = 0; i < 3 && !line.queued() && line.playing(); ++i) line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");  // on_fail: an operator checks who calls
}

TEST_F(IvrSessionTest, R16_PauseInTheMiddleOfTheNumberIsAnInvalidEntry) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('7');
  line.PressAll("00000");
  line.TimerFires();
  EXPECT_EQ(line.Playing(), (Keys{"ru/bad_case", "ru/ask_case"}));
}

// --------------------------------------------------------------- hours (R2)

TEST_F(IvrSessionTest, R2_OpenHoursLeadToTheQueue) {
  SimulatedLine line = Line(kWorkdayNoon);
  ToMainMenu(line);
  line.Press('0');
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");
}

TEST_F(IvrSessionTest, R2_OnAHolidayTheClosedBranchSaysTheHours) {
  SimulatedLine line = Line("2026-01-07T12:00:00+03:00");  // Wednesday, a public holiday
  ToMainMenu(line);
  line.Press('0');
  EXPECT_EQ(line.Playing(), Keys{"ru/closed"});
  EXPECT_FALSE(line.queued().has_value());
  const auto& steps = line.session().trace().steps;
  EXPECT_TRUE(std::any_of(steps.begin(), steps.end(), [](const IvrTraceStep& s) {
    return s.node == "hours" && s.event == "closed";
  }));
  line.PromptEnds();
  line.PromptEnds();  // goodbye
  EXPECT_EQ(line.hung_up()->reason, IvrEndReason::kCompleted);
}

TEST_F(IvrSessionTest, R2_AtNightTheClosedBranchIsTaken) {
  SimulatedLine line = Line("2026-03-10T22:30:00+03:00");
  ToMainMenu(line);
  line.Press('0');
  EXPECT_EQ(line.Playing(), Keys{"ru/closed"});
}

// ------------------------------------------------------------- hang-up, ids

TEST_F(IvrSessionTest, R5_HangUpAtAnyPointEndsTheSessionWithNoFurtherActions) {
  // Each script brings the call to a different point, then the caller hangs up.
  const std::vector<std::function<void(SimulatedLine&)>> points = {
      [](SimulatedLine& l) { l.Start(); },                                   // greeting
      [this](SimulatedLine& l) { ToMainMenu(l); },                           // menu prompt
      [this](SimulatedLine& l) { ToMainMenu(l); l.PromptEnds(); },           // waiting for a key
      [this](SimulatedLine& l) { ToMainMenu(l); l.Press('*'); l.Press('1'); },  // mid-entry
      [this](SimulatedLine& l) {                                             // during the lookup
        ToMainMenu(l);
        l.Press('7');
        l.PressAll(CaseNumber::FromSequence(3));
      },
      [this](SimulatedLine& l) { ToMainMenu(l); l.Press('2'); },             // queue message
  };
  for (size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i));
    SimulatedLine line = Line();
    points[i](line);
    ASSERT_FALSE(line.session().finished());
    EXPECT_TRUE(line.Hangup().empty());
    EXPECT_TRUE(line.session().finished());
    EXPECT_EQ(line.session().trace().end_reason, "caller_hung_up");
    // Whatever the adapter still delivers changes nothing.
    const Time t = line.now() + Duration{10};
    EXPECT_TRUE(line.session().OnEvent(IvrEvent::Digit(t, '1')).empty());
    for (uint64_t id = 0; id < 64; ++id) {
      EXPECT_TRUE(line.session().OnEvent(IvrEvent::TimerFired(t, id)).empty());
      EXPECT_TRUE(line.session().OnEvent(IvrEvent::PromptFinished(t, id)).empty());
    }
    EXPECT_TRUE(line.session().OnEvent(IvrEvent::Hangup(t)).empty());
  }
}

TEST_F(IvrSessionTest, R5_StaleTimersAndPlaybacksAreIgnored) {
  SimulatedLine line = Line();
  line.Start();
  const uint64_t greeting = line.playing()->playback_id;
  line.PromptEnds();
  const uint64_t offer_timer = line.timers().begin()->first;
  line.Press('1');  // any key: on to the main menu, the offer's timer is cancelled
  ASSERT_EQ(line.Playing(), Keys{"ru/main"});
  const Time t = line.now() + Duration{10};
  EXPECT_TRUE(line.session().OnEvent(IvrEvent::TimerFired(t, offer_timer)).empty());
  EXPECT_TRUE(line.session().OnEvent(IvrEvent::PromptFinished(t, greeting)).empty());
  EXPECT_TRUE(line.session().OnEvent(IvrEvent::Digit(t, 'x')).empty());  // not a key
  EXPECT_EQ(line.Playing(), Keys{"ru/main"});
}

TEST_F(IvrSessionTest, R5_StartTwiceOrEventsBeforeStartDoNothing) {
  IvrSession session(model_);
  EXPECT_TRUE(session.OnEvent(IvrEvent::Digit(At(kWorkdayNoon), '1')).empty());
  EXPECT_FALSE(session.Start({}, At(kWorkdayNoon)).empty());
  EXPECT_TRUE(session.Start({}, At(kWorkdayNoon)).empty());
}

TEST_F(IvrSessionTest, R5_TraceRecordsThePathDigitsAndTopic) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('5');
  line.Press('2');
  line.PromptEnds();
  const IvrTrace& trace = line.session().trace();
  EXPECT_EQ(trace.call_id, "call-1");
  EXPECT_EQ(trace.dialled_number, "115");
  EXPECT_EQ(trace.caller_region, "77");
  EXPECT_EQ(trace.digits, "52");
  EXPECT_EQ(trace.topic, "topic_a");
  std::vector<std::string> entered;
  for (const auto& s : trace.steps) {
    if (s.event == "enter") entered.push_back(s.node);
  }
  EXPECT_EQ(entered, (Keys{"greeting", "main", "queue_a"}));
  ASSERT_TRUE(trace.started_at && trace.ended_at);
  EXPECT_LT(*trace.started_at, *trace.ended_at);
}

// -------------------------------------------------------------- robustness

class IvrSessionBrokenTreeTest : public IvrSessionTest {
 protected:
  static IvrModel Model() {
    // hours -> loop_play (nothing to play) -> hours: a loop without input the
    // validator rejects; the engine must still end the call.
    IvrModel m = TestModel();
    auto& hours = std::get<IvrHoursCheckNode>(m.nodes.at("hours").spec);
    hours.open = hours.closed = "loop_play";
    IvrNode loop;
    loop.id = "loop_play";
    loop.spec = IvrPlayNode{{}, false, "hours"};
    m.nodes["loop_play"] = loop;
    std::get<IvrMenuNode>(m.nodes.at("main").spec).options['4'] = "missing_node";
    return m;
  }
  IvrSessionBrokenTreeTest() : IvrSessionTest(Model()) {}
};

TEST_F(IvrSessionBrokenTreeTest, R5_LoopGuardEndsACallOnATreeThatSpins) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('0');
  ASSERT_TRUE(line.hung_up().has_value());
  EXPECT_EQ(line.hung_up()->reason, IvrEndReason::kFlowError);
}

TEST_F(IvrSessionBrokenTreeTest, R5_UnknownNodeEndsTheCallInsteadOfCrashing) {
  SimulatedLine line = Line();
  ToMainMenu(line);
  line.Press('4');
  ASSERT_TRUE(line.hung_up().has_value());
  EXPECT_EQ(line.hung_up()->reason, IvrEndReason::kFlowError);
}

TEST(IvrSessionNullModelTest, R5_NoModelEndsTheCallAtOnce) {
  IvrSession session(nullptr);
  const auto actions = session.Start({}, Time{});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<HangupAction>(actions[0]).reason, IvrEndReason::kFlowError);
  EXPECT_TRUE(session.finished());
}

// Random callers: any sequence of events (keys, prompt ends, timers, registry
// answers, stale ids) keeps the contract, and a silent caller always reaches
// the end of the call.
TEST_F(IvrSessionTest, R5_R16_RandomEventSequencesNeverBreakTheContractAndAlwaysEnd) {
  std::mt19937 rng(20260310);
  const std::string keys = "0123456789*#AD";
  constexpr int kCalls = 300;
  constexpr int kMaxEvents = 150;
  for (int call = 0; call < kCalls; ++call) {
    SCOPED_TRACE("call " + std::to_string(call));
    SimulatedLine line = Line(call % 3 == 0 ? "2026-01-07T12:00:00+03:00" : kWorkdayNoon);
    line.Start();
    const int events = static_cast<int>(rng() % kMaxEvents);
    for (int i = 0; i < events && !line.ended() && !line.session().finished(); ++i) {
      switch (rng() % 9) {
        case 0:
        case 1:
        case 2:
          line.Press(keys[rng() % keys.size()], Duration{static_cast<int64_t>(rng() % 3000)});
          break;
        case 3:
          if (line.playing()) line.PromptEnds(Duration{static_cast<int64_t>(rng() % 5000)});
          break;
        case 4:
          if (!line.timers().empty()) line.TimerFires();
          break;
        case 5:
          if (line.lookup()) {
            line.LookupAnswers(static_cast<CaseLookupOutcome>(rng() % 3),
                               static_cast<CaseStatus>(rng() % 6));
          }
          break;
        case 6: {  // a stale or made-up id
          const uint64_t id = rng() % 50;
          line.Send(rng() % 2 ? IvrEvent::TimerFired(line.now(), id)
                              : IvrEvent::PromptFinished(line.now(), id));
          break;
        }
        case 7:
          line.Press(static_cast<char>(rng() % 128));  // garbage from a bad detector
          break;
        default:
          if (rng() % 20 == 0) line.Hangup();
          break;
      }
      EXPECT_LE(line.timers().size(), 1u);
    }
    // Now the caller stays silent: prompts end, timers fire, the registry fails.
    for (int i = 0; i < 200 && !line.session().finished(); ++i) {
      if (line.lookup()) {
        line.LookupAnswers(CaseLookupOutcome::kError);
      } else if (line.playing()) {
        line.PromptEnds();
      } else if (!line.timers().empty()) {
        line.TimerFires();
      } else {
        ADD_FAILURE() << "the call waits for nothing but is not finished";
        break;
      }
    }
    EXPECT_TRUE(line.session().finished());
    EXPECT_FALSE(line.session().trace().end_reason.empty());
    EXPECT_TRUE(line.session().OnEvent(IvrEvent::Digit(line.now(), '1')).empty());
  }
}

}  // namespace
}  // namespace gosline
