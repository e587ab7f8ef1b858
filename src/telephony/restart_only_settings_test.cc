#include "telephony/restart_only_settings.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

using Names = std::vector<std::string>;

TEST(RestartOnlySettingsTest, NumbersAndPromptsAreLiveListenersAndLimitsAreNamed) {
  const TelephonyConfig running;
  TelephonyConfig next = running;
  next.numbers = {"115", "122"};
  next.prompts = {PromptSpec{"greeting", "ru", "Новое приветствие", ""}};
  EXPECT_EQ(SettingsNeedingRestart(running, next), Names{});

  next.sip_port = 5070;
  EXPECT_EQ(SettingsNeedingRestart(running, next), Names{"telephony.sip.port"});
  next.max_calls = 10;
  next.sip_tls_port = 5061;
  next.recordings_dir = "/srv/recordings";
  next.rtp_port_max = 20001;
  EXPECT_EQ(SettingsNeedingRestart(running, next),
            (Names{"telephony.sip.port", "telephony.sip.tls", "telephony.rtp.ports",
                   "telephony.max_calls", "telephony.recordings_dir"}));
}

TEST(RestartOnlySettingsTest, BlockAndAllowListsAreLiveTheLimiterPolicyIsNot) {
  const AbuseSettings running;
  AbuseSettings next = running;
  next.block = {"+79001234567", "+7809*"};
  next.allow = {};
  next.enabled = !running.enabled;
  EXPECT_EQ(AbuseSettingsNeedingRestart(running, next), Names{});
  next.per_number_calls = 1;
  next.block_status = 403;
  next.per_source_max_calls = 5;
  next.trusted_sources = {"192.0.2.10"};
  EXPECT_EQ(AbuseSettingsNeedingRestart(running, next),
            (Names{"security.abuse.per_number", "security.abuse.per_source",
                   "security.abuse.trusted_sources", "security.abuse.block_status"}));
}

}  // namespace
}  // namespace gosline::telephony
