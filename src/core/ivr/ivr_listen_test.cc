// R7: the caller says what the call is about; the listen node routes by the
// recognised intent like a menu choice, confirms unsure matches, re-prompts
// on silence or speech it does not understand, and always takes keys.
#include <gtest/gtest.h>

#include "core/ivr/ivr_session.h"
#include "core/ivr/ivr_test_support.h"
#include "core/ivr/ivr_validate.h"

namespace gosline {
namespace {

using ivr_test::AddPrompt;
using ivr_test::At;
using ivr_test::CountOf;
using ivr_test::FirstOf;
using ivr_test::Shared;
using ivr_test::SimulatedLine;
using ivr_test::TestModel;
using Keys = std::vector<std::string>;

const char* const kWorkdayNoon = "2026-03-10T12:00:00+03:00";

// The test tree with a listen node first: "certificate" (key 1) -> queue_a,
// "pension" (key 2) -> queue_b; retries spent -> the key menu.
IvrModel ListenModel() {
  IvrModel m = TestModel();
  for (const char* p : {"speak", "didnt_catch", "did_you_say", "confirm_hint", "intent_cert",
                        "intent_pension"}) {
    AddPrompt(m, p);
  }
  IvrListenNode s;
  s.prompts = {"speak"};
  s.intents = {
      IvrListenIntent{"certificates",
                      {{"en", {"certificate", "certificates"}}, {"ru", {"справка"}}},
                      '1',
                      "intent_cert",
                      "queue_a"},
      IvrListenIntent{"pension", {{"en", {"pension", "retirement"}}}, '2', "intent_pension",
                      "queue_b"},
  };
  s.timeout = Duration{5000};
  s.min_confidence = 0.5;
  s.no_match_prompt = "didnt_catch";
  s.confirm_prompt = "did_you_say";
  s.confirm_hint_prompt = "confirm_hint";
  s.retry = IvrRetryPolicy{2, "invalid", "noinput", "main"};
  IvrNode n;
  n.id = "speak";
  n.spec = s;
  m.nodes["speak"] = n;
  m.nodes.erase("greeting");  // the listen node comes first
  m.start = "speak";
  m.default_language = "en";
  return m;
}

// queue_a says "please wait" before the call is queued.
void WaitPromptEnds(SimulatedLine& line) {
  if (line.playing() && line.Playing() == Keys{"en/queue_wait"}) line.PromptEnds();
}

class IvrListenTest : public ::testing::Test {
 protected:
  IvrListenTest() : model_(Shared(ListenModel())) {}
  SimulatedLine Line() { return SimulatedLine(model_, At(kWorkdayNoon)); }
  std::shared_ptr<const IvrModel> model_;
};

TEST_F(IvrListenTest, R7_TheListenModelIsValid) {
  EXPECT_TRUE(ValidateIvrModel(*model_).ok()) << ValidateIvrModel(*model_).ToString();
}

TEST_F(IvrListenTest, R7_PromptsAndListensForEveryIntentsPhrasesInTheCallersLanguage) {
  SimulatedLine line = Line();
  line.Start();
  EXPECT_EQ(line.Playing(), Keys{"en/speak"});
  EXPECT_TRUE(line.playing()->barge_in);
  ASSERT_TRUE(line.listening().has_value());
  EXPECT_EQ(line.listening()->language, "en");
  EXPECT_EQ(line.listening()->phrases,
            (Keys{"certificate", "certificates", "pension", "retirement"}));
}

TEST_F(IvrListenTest, R7_SaidCertificateRoutesToItsQueueAndIsRecorded) {
  SimulatedLine line = Line();
  line.Start();
  line.PromptEnds();
  line.Say("certificate", 0.83);
  WaitPromptEnds(line);
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_a");
  EXPECT_EQ(line.queued()->data.at("intent"), "certificates");
  EXPECT_EQ(line.queued()->data.at("speech_text"), "certificate");
  EXPECT_EQ(line.queued()->data.at("speech_confidence"), "0.83");
  const IvrTrace& t = line.session().trace();
  EXPECT_EQ(t.intent, "certificates");
  EXPECT_EQ(t.intent_by, "speech");
  EXPECT_EQ(t.speech_text, "certificate");
  ASSERT_TRUE(t.speech_confidence.has_value());
  EXPECT_DOUBLE_EQ(*t.speech_confidence, 0.83);
  EXPECT_FALSE(line.listening().has_value());  // the turn ended with the node
}

TEST_F(IvrListenTest, R7_SpeechStopsThePromptAndTheResultRoutes) {
  SimulatedLine line = Line();
  line.Start();
  const auto started = line.SpeechStarts();
  EXPECT_EQ(CountOf<StopPlaybackAction>(started), 1);  // barge-in
  EXPECT_FALSE(line.playing().has_value());
  line.Heard("i need a pension please", 0.9);
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");
}

TEST_F(IvrListenTest, R7_AKeyStopsThePromptAndChoosesLikeAMenu) {
  SimulatedLine line = Line();
  line.Start();
  line.Press('2');
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_b");
  EXPECT_EQ(line.queued()->data.at("intent"), "pension");
  EXPECT_EQ(line.queued()->data.count("speech_text"), 0u);
  EXPECT_EQ(line.session().trace().intent_by, "key");
  EXPECT_EQ(line.session().trace().key_fallbacks, 1);
}

TEST_F(IvrListenTest, R7_UnsureMatchIsConfirmedByYesOrKeyOne) {
  for (bool by_key : {false, true}) {
    SimulatedLine line = Line();
    line.Start();
    line.PromptEnds();
    line.Say("certificate", 0.3);
    EXPECT_FALSE(line.queued().has_value());
    EXPECT_EQ(line.Playing(), (Keys{"en/did_you_say", "en/intent_cert", "en/confirm_hint"}));
    ASSERT_TRUE(line.listening().has_value());
    EXPECT_NE(std::find(line.listening()->phrases.begin(), line.listening()->phrases.end(), "yes"),
              line.listening()->phrases.end());
    if (by_key) {
      line.Press('1');
    } else {
      line.Say("yes", 0.2);  // a yes needs no confidence: the question was closed
    }
    WaitPromptEnds(line);
    ASSERT_TRUE(line.queued().has_value()) << by_key;
    EXPECT_EQ(line.queued()->queue_id, "q_a");
    EXPECT_EQ(line.session().trace().intent_by, "confirmed");
  }
}

TEST_F(IvrListenTest, R7_NoAtTheConfirmationAsksAgain) {
  SimulatedLine line = Line();
  line.Start();
  line.PromptEnds();
  line.Say("pension", 0.2);
  line.Say("no", 0.9);
  EXPECT_FALSE(line.queued().has_value());
  EXPECT_EQ(line.Playing(), (Keys{"en/didnt_catch", "en/speak"}));
  line.Say("certificate", 0.9);
  WaitPromptEnds(line);
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_a");
}

TEST_F(IvrListenTest, R7_NotUnderstoodRepromptsThenSilenceThenTheKeyStillWorks) {
  SimulatedLine line = Line();
  line.Start();
  line.PromptEnds();
  line.Say("", 0.0);  // the recogniser found nothing it could match
  EXPECT_EQ(line.Playing(), (Keys{"en/didnt_catch", "en/speak"}));
  line.Silence();
  EXPECT_EQ(line.Playing(), (Keys{"en/noinput", "en/speak"}));
  EXPECT_EQ(line.session().trace().speech_reprompts, 2);
  line.Press('1');
  WaitPromptEnds(line);
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "q_a");
}

TEST_F(IvrListenTest, R7_RetriesSpentGoToTheKeyMenu) {
  SimulatedLine line = Line();
  line.Start();
  line.Silence();
  line.Silence();
  line.Silence();
  EXPECT_EQ(line.Playing(), Keys{"en/main"});
  EXPECT_FALSE(line.listening().has_value());
}

TEST_F(IvrListenTest, R7_ALostRecognitionResultCannotHoldTheCall) {
  SimulatedLine line = Line();
  line.Start();
  line.SpeechStarts();
  line.TimerFires();  // the guard: no result came
  EXPECT_EQ(line.Playing(), (Keys{"en/didnt_catch", "en/speak"}));
}

TEST_F(IvrListenTest, R7_StaleSpeechEventsAreIgnored) {
  SimulatedLine line = Line();
  line.Start();
  const uint64_t old_id = line.listening()->listen_id;
  line.Press('9');  // invalid: re-prompt, a new turn
  ASSERT_TRUE(line.listening().has_value());
  EXPECT_NE(line.listening()->listen_id, old_id);
  const auto stale = line.Send(
      IvrEvent::SpeechResult(line.now(), SpeechResultEvent{old_id, "certificate", 0.99}));
  EXPECT_TRUE(stale.empty());
  EXPECT_FALSE(line.queued().has_value());
}

TEST_F(IvrListenTest, R7_ALanguageWithoutPhrasesStillTakesKeys) {
  IvrModel m = ListenModel();
  m.default_language = "ru";
  std::get<IvrListenNode>(m.nodes["speak"].spec).intents[0].phrases.erase("ru");
  SimulatedLine line(Shared(m), At(kWorkdayNoon));
  line.Start();
  EXPECT_FALSE(line.listening().has_value());
  line.Press('1');
  line.PromptEnds();  // "ru/queue_wait"
  ASSERT_TRUE(line.queued().has_value());
}

TEST_F(IvrListenTest, R7_ValidatorWantsAKeyForEveryIntent) {
  IvrModel m = ListenModel();
  auto& s = std::get<IvrListenNode>(m.nodes["speak"].spec);
  s.intents[1].key = '1';  // twice
  s.intents[0].phrases.clear();
  const Status st = ValidateIvrModel(m);
  EXPECT_FALSE(st.ok());
  IvrModel no_key = ListenModel();
  std::get<IvrListenNode>(no_key.nodes["speak"].spec).intents[0].key = 0;
  EXPECT_FALSE(ValidateIvrModel(no_key).ok());
}

}  // namespace
}  // namespace gosline
