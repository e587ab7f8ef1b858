#include "telephony/ivr_call_flow.h"

#include <gtest/gtest.h>

#include <map>

#include "config/config_loader.h"

namespace gosline::telephony {
namespace {

TEST(IvrCallFlowTest, R5_PromptsAreSpokenWithTheEntrysVoiceNotItsLanguage) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.config.ivr.model, nullptr);
  std::map<std::string, PromptSpec> specs;
  for (PromptSpec& s : IvrPromptSpecs(*r.config.ivr.model)) specs[s.id] = s;
  // "For English, press 9" inside the Russian greeting: the English voice.
  ASSERT_TRUE(specs.count("ru/for_english"));
  EXPECT_EQ(specs["ru/for_english"].language, "en");
  EXPECT_EQ(specs["ru/for_english"].text, "For English, press 9.");
  EXPECT_EQ(specs["ru/greeting"].language, "ru");
  EXPECT_EQ(specs["en/main_menu"].language, "en");
  EXPECT_EQ(specs["ru/case_status/in_progress"].language, "ru");
}

TEST(IvrCallFlowTest, TheFlowExposesItsTraceForTheCallRecord) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok());
  IvrCallFlow flow(r.config.ivr.model);
  const Time t0 = FromUnixMillis(1'760'000'000'000);
  flow.Start(CallInfo{"c1", "115", "+79161234567", "77"}, t0);
  ASSERT_NE(flow.trace(), nullptr);
  EXPECT_EQ(flow.trace()->call_id, "c1");
  ASSERT_FALSE(flow.trace()->steps.empty());
  EXPECT_EQ(flow.trace()->steps.front().node, "greeting");
  EXPECT_EQ(GreetingCallFlow("g").trace(), nullptr);
}

}  // namespace
}  // namespace gosline::telephony
