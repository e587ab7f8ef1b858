#include "telephony/hotline_telephony.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "telephony/caller_region.h"

namespace gosline::telephony {
namespace {

Config Demo() {
  ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  EXPECT_TRUE(r.ok());
  return std::move(r.config);
}

TEST(HotlineTelephonyTest, R1_TheDemoAnswersItsNumbersOnLoopback5060WithTheIvrPrompts) {
  const Config config = Demo();
  const TelephonyConfig c = MakeTelephonyConfig(config, {});
  EXPECT_EQ(c.sip_address, "127.0.0.1");
  EXPECT_EQ(c.sip_port, 5060);
  EXPECT_EQ(c.sip_transports, (std::vector<std::string>{"udp", "tcp"}));
  EXPECT_EQ(c.rtp_address, "127.0.0.1");
  EXPECT_EQ(c.rtp_port_min, 20000);
  EXPECT_EQ(c.rtp_port_max, 20999);
  EXPECT_EQ(c.max_calls, 500u);
  EXPECT_EQ(c.numbers, config.service.numbers);
  EXPECT_EQ(c.prompt_cache_dir, "var/prompts");
  bool has_menu = false;
  for (const PromptSpec& p : c.prompts) has_menu |= p.id == "ru/main_menu";
  EXPECT_TRUE(has_menu);
}

TEST(HotlineTelephonyTest, OverridesWinAndMaxCallsNeverExceedsThePorts) {
  const Config config = Demo();
  TelephonyOverrides o;
  o.sip_port = 25060;
  o.rtp_ports = {{40000, 40099}};
  const TelephonyConfig c = MakeTelephonyConfig(config, o);
  EXPECT_EQ(c.sip_port, 25060);
  EXPECT_EQ(c.rtp_port_min, 40000);
  EXPECT_EQ(c.rtp_port_max, 40099);
  EXPECT_EQ(c.max_calls, 50u);
  o.rtp_ports = {{30000, 39999}};
  o.max_calls = 4000;
  EXPECT_EQ(MakeTelephonyConfig(config, o).max_calls, 4000u);
}

TEST(HotlineTelephonyTest, WithoutAnIvrEveryCallHearsAGreeting) {
  Config config = Demo();
  config.ivr.model.reset();
  const TelephonyConfig c = MakeTelephonyConfig(config, {});
  ASSERT_EQ(c.prompts.size(), 1u);
  EXPECT_EQ(c.prompts[0].id, c.greeting_prompt);
  EXPECT_EQ(c.prompts[0].language, "ru");
}

TEST(HotlineTelephonyTest, R10_CallerRegionComesFromTheNumberingRegister) {
  Config config = Demo();
  config.routing.numbering_csv =
      std::string(GOSLINE_SOURCE_DIR) + "/" + config.routing.numbering_csv;
  auto plan = LoadNumberingPlan(config);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto region_of = RegionOf(*plan);
  EXPECT_EQ(region_of("+78432345678"), "16");  // Kazan
  EXPECT_EQ(region_of("+73832123456"), "54");  // Novosibirsk
  EXPECT_EQ(region_of("+70000000000"), "");

  config.routing.numbering_csv = "/nonexistent/ranges.csv";
  EXPECT_FALSE(LoadNumberingPlan(config).ok());
  config.routing.numbering_csv.clear();
  EXPECT_EQ(LoadNumberingPlan(config).status().code(), Status::Code::kNotFound);
}

TEST(HotlineTelephonyTest, R14_ARecordBecomesARegistryRowFieldByField) {
  CallRecord r;
  r.call_id = "abc@host";
  r.from = "89161234567";
  r.caller_e164 = "+79161234567";
  r.dialled = "115";
  r.region_code = "77";
  r.started = FromUnixMillis(1000);
  r.answered = FromUnixMillis(1100);
  r.ended = FromUnixMillis(9000);
  r.end_reason = CallEndReason::kCallerHangup;
  r.sip_status = 200;
  r.language = "ru";
  r.ivr_path = "greeting main_menu";
  r.topic = "taxes";
  r.queue = "federal-taxes";
  r.case_number = "0000004217";
  r.ivr_end = "queued";
  r.digits = "5";
  r.prompts = "ru/greeting ru/main_menu";
  const CallRecordRow row = RegistryCallRecordSink::ToRow(r);
  EXPECT_EQ(row.call_id, r.call_id);
  EXPECT_EQ(row.from, r.from);
  EXPECT_EQ(row.caller_e164, r.caller_e164);
  EXPECT_EQ(row.dialled, "115");
  EXPECT_EQ(row.region, r.region_code);
  EXPECT_EQ(row.started, r.started);
  EXPECT_EQ(row.answered, r.answered);
  EXPECT_EQ(row.ended, r.ended);
  EXPECT_EQ(row.end_reason, "caller_hangup");
  EXPECT_EQ(row.sip_status, 200);
  EXPECT_EQ(row.language, "ru");
  EXPECT_EQ(row.ivr_path, r.ivr_path);
  EXPECT_EQ(row.topic, "taxes");
  EXPECT_EQ(row.queue, "federal-taxes");
  EXPECT_EQ(row.case_number, r.case_number);
  EXPECT_EQ(row.ivr_end, "queued");
  EXPECT_EQ(row.digits, "5");
  EXPECT_EQ(row.prompts, r.prompts);
}

}  // namespace
}  // namespace gosline::telephony
