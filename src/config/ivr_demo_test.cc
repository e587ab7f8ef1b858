// The demo configuration's voice menu, walked as callers would (R5, R6, R16, R2):
// config/gosline.yaml loaded for real, the engine driven by a simulated line
// and clock.
#include <gtest/gtest.h>

#include <set>

#include "config/config_loader.h"
#include "core/cases/case_number.h"
#include "core/ivr/ivr_prompts.h"
#include "core/ivr/ivr_test_support.h"

namespace gosline {
namespace {

using ivr_test::At;
using ivr_test::SimulatedLine;
using Keys = std::vector<std::string>;

const char* const kTuesdayNoon = "2026-03-10T12:00:00+03:00";
const char* const kHoliday = "2026-01-07T12:00:00+03:00";  // Orthodox Christmas

class IvrDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
    for (const ConfigError& e : r.errors) ADD_FAILURE() << e.ToString();
    model_ = r.config.ivr.model;
    for (const IvrPromptEntry& e : PromptCatalogue(*model_)) catalogue_[e.key] = e;
  }
  static void TearDownTestSuite() { model_.reset(); }

  void SetUp() override { ASSERT_NE(model_, nullptr) << "the demo has no ivr section"; }
  void TearDown() override {
    // Every prompt a caller heard is one the adapter prepared at start-up.
    for (const SimulatedLine* line : lines_) {
      for (const std::string& key : line->heard()) {
        EXPECT_TRUE(catalogue_.count(key)) << "not in the prompt catalogue: " << key;
      }
    }
  }

  SimulatedLine& Line(const char* at = kTuesdayNoon) {
    owned_.push_back(std::make_unique<SimulatedLine>(model_, At(at)));
    lines_.push_back(owned_.back().get());
    return *owned_.back();
  }

  // Greeting, no language choice: the Russian main menu plays.
  static void ToMainMenu(SimulatedLine& line) {
    line.Start();
    line.PromptEnds();
    line.TimerFires();
    ASSERT_EQ(line.Playing(), Keys{"ru/main_menu"});
  }

  static std::shared_ptr<const IvrModel> model_;
  static std::map<std::string, IvrPromptEntry> catalogue_;
  std::vector<std::unique_ptr<SimulatedLine>> owned_;
  std::vector<const SimulatedLine*> lines_;
};
std::shared_ptr<const IvrModel> IvrDemoTest::model_;
std::map<std::string, IvrPromptEntry> IvrDemoTest::catalogue_;

TEST_F(IvrDemoTest, R5_GreetingIsRussianWithTheEnglishOfferInAnEnglishVoice) {
  SimulatedLine& line = Line();
  line.Start();
  EXPECT_EQ(line.language(), "ru");
  EXPECT_EQ(line.Playing(), (Keys{"ru/greeting", "ru/for_english"}));
  EXPECT_NE(catalogue_.at("ru/greeting").text.find("Госуслуг"), std::string::npos);
  EXPECT_EQ(catalogue_.at("ru/greeting").voice, "ru");
  EXPECT_EQ(catalogue_.at("ru/for_english").voice, "en");
}

struct TopicRoute {
  std::string keys;    // pressed in the main menu and after
  std::string queue;
  std::string topic;
};

class IvrDemoTopicTest : public IvrDemoTest, public ::testing::WithParamInterface<TopicRoute> {};

TEST_P(IvrDemoTopicTest, R5_R8_MainMenuLeadsToTheTopicsQueue) {
  const TopicRoute& route = GetParam();
  SimulatedLine& line = Line();
  ToMainMenu(line);
  line.PressAll(route.keys);
  for (int i = 0; i < 5 && !line.ended() && line.playing(); ++i) line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value()) << "keys " << route.keys;
  EXPECT_EQ(line.queued()->queue_id, route.queue);
  EXPECT_EQ(line.queued()->topic, route.topic);
  EXPECT_EQ(line.queued()->language, "ru");
  EXPECT_EQ(line.queued()->waiting_prompts, Keys{"ru/queue_waiting"});
}

INSTANTIATE_TEST_SUITE_P(
    Demo, IvrDemoTopicTest,
    ::testing::Values(TopicRoute{"10", "federal-registration", "registration"},
                      TopicRoute{"2", "federal-certificates", "certificates"},
                      TopicRoute{"3", "federal-tech-support", "tech_support"},
                      TopicRoute{"4", "federal-pensions-benefits", "pensions_benefits"},
                      TopicRoute{"5", "federal-taxes", "taxes"},
                      TopicRoute{"6", "federal-licences-permits", "licences_permits"},
                      TopicRoute{"0", "federal-other", "other"},
                      // '*' and a topic's service code jump straight there.
                      TopicRoute{"*4", "federal-pensions-benefits", "pensions_benefits"},
                      TopicRoute{"*5#", "federal-taxes", "taxes"}));

TEST_F(IvrDemoTest, R6_PasswordResetIsAnsweredWithoutAnOperator) {
  SimulatedLine& line = Line();
  ToMainMenu(line);
  line.PressAll("11");
  EXPECT_EQ(line.Playing(), Keys{"ru/answer/password_reset"});
  EXPECT_NE(catalogue_.at("ru/answer/password_reset").text.find("Не помню пароль"), std::string::npos);
  line.PromptEnds(Duration{40000});
  EXPECT_EQ(line.Playing(), Keys{"ru/after_answer"});
  line.Silence();  // retries: 1
  line.Silence();
  EXPECT_EQ(line.Playing(), Keys{"ru/goodbye"});
  line.PromptEnds();
  ASSERT_TRUE(line.hung_up().has_value());
  EXPECT_EQ(line.hung_up()->reason, IvrEndReason::kCompleted);
  EXPECT_EQ(line.session().trace().topic, "registration");
}

TEST_F(IvrDemoTest, R16_StatusOfAnApplicationByItsNumber) {
  const std::string number = CaseNumber::FromSequence(1234);
  SimulatedLine& line = Line();
  ToMainMenu(line);
  line.Press('7');
  EXPECT_EQ(line.Playing(), Keys{"ru/ask_case_number"});
  line.PressAll(number);
  EXPECT_FALSE(line.lookup().has_value()) << "not before the phone's last digits";
  EXPECT_EQ(line.Playing(), Keys{"ru/case_status/phone_last4"});
  line.PressAll("4567");
  ASSERT_TRUE(line.lookup().has_value());
  EXPECT_EQ(line.lookup()->phone_last4, "4567");
  EXPECT_EQ(line.lookup()->case_number, number);
  line.LookupAnswers(CaseLookupOutcome::kFound, CaseStatus::kResolved);
  const Keys heard = line.Playing();
  ASSERT_EQ(heard.size(), 12u);
  EXPECT_EQ(heard.front(), "ru/case_status_intro");
  EXPECT_EQ(heard[1], std::string("ru/digit/") + number[0]);
  EXPECT_EQ(heard.back(), "ru/case_status/resolved");
  line.PromptEnds();
  line.Press('0');  // after the status: an operator
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "federal-application-status");
  EXPECT_EQ(line.queued()->data.at("case_number"), number);
  EXPECT_EQ(line.queued()->data.at("case_open"), "0");
}

TEST_F(IvrDemoTest, R16_MistypedNumberIsCaughtByTheCheckDigit) {
  std::string number = CaseNumber::FromSequence(1234);
  std::swap(number[3], number[4]);  // two adjacent digits swapped
  if (number == CaseNumber::FromSequence(1234)) number[8] = number[8] == '1' ? '2' : '1';
  SimulatedLine& line = Line();
  ToMainMenu(line);
  line.Press('7');
  line.PressAll(number);
  EXPECT_FALSE(line.lookup().has_value());
  EXPECT_EQ(line.Playing(), (Keys{"ru/invalid_case_number", "ru/ask_case_number"}));
}

TEST_F(IvrDemoTest, R5_EnglishCallerHearsEnglishPromptsAndWordsThroughout) {
  SimulatedLine& line = Line();
  line.Start();
  line.Press('9');
  EXPECT_EQ(line.language(), "en");
  EXPECT_EQ(line.Playing(), Keys{"en/main_menu"});
  line.Press('7');
  line.PressAll(CaseNumber::FromSequence(99));
  EXPECT_EQ(line.Playing().back(), "en/case_status/phone_last4");
  line.PressAll("4567");
  line.LookupAnswers(CaseLookupOutcome::kFound, CaseStatus::kInProgress);
  EXPECT_EQ(line.Playing().back(), "en/case_status/in_progress");
  EXPECT_EQ(catalogue_.at("en/case_status/in_progress").text, "in progress");
}

TEST_F(IvrDemoTest, R2_LicencesAreClosedOnAHolidayAndSelfServiceIsOffered) {
  SimulatedLine& line = Line(kHoliday);
  ToMainMenu(line);
  line.Press('6');
  EXPECT_EQ(line.Playing(), Keys{"ru/closed"});
  EXPECT_FALSE(line.queued().has_value());
  line.PromptEnds();
  EXPECT_EQ(line.Playing(), Keys{"ru/closed_menu"});
  line.Press('1');
  EXPECT_EQ(line.Playing(), Keys{"ru/answer/password_reset"});
}

TEST_F(IvrDemoTest, R2_TheFederalCentreAnswersOnHolidays) {
  SimulatedLine& line = Line(kHoliday);
  ToMainMenu(line);
  line.Press('5');  // taxes: the federal centre works 24/7
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "federal-taxes");
}

TEST_F(IvrDemoTest, R5_SilentCallerReachesAnOperator) {
  SimulatedLine& line = Line();
  ToMainMenu(line);
  for (int i = 0; i < 3; ++i) line.Silence();
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "federal-other");
}

TEST_F(IvrDemoTest, R5_WrongKeysGetTheInvalidPromptThenAnOperator) {
  SimulatedLine& line = Line();
  ToMainMenu(line);
  line.Press('8');
  EXPECT_EQ(line.Playing(), (Keys{"ru/invalid_choice", "ru/main_menu"}));
  line.PressAll("89");
  line.PromptEnds();
  ASSERT_TRUE(line.queued().has_value());
  EXPECT_EQ(line.queued()->queue_id, "federal-other");
}

}  // namespace
}  // namespace gosline
