#include "config/telephony_config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.h"

namespace gosline {
namespace {

// The smallest valid file plus a telephony section; tests change one line of
// the section and look for the error on it (line numbers beside the lines).
constexpr const char* kBase =
    "service: {name: Test, numbers: [\"115\"]}\n"                                        // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                           // 2
    "centres: [{id: federal, name: F, hours: always, utc_offset: \"+03:00\"}]\n"          // 3
    "agencies: [{id: a, name: A}]\n"                                                      // 4
    "topics: [{id: t, names: {ru: Т}, agency: a}]\n"                                      // 5
    "queues: [{id: q, topic: t, centre: federal}]\n"                                      // 6
    "escalation: {hours: always, centre: federal}\n";                                     // 7

constexpr const char* kSection =
    "telephony:\n"                                                                        // 8
    "  sip: {listen: 127.0.0.2, port: 5070, transports: [udp]}\n"                         // 9
    "  rtp: {listen: 127.0.0.3, ports: \"30000-30099\"}\n"                                // 10
    "  max_calls: 40\n"                                                                   // 11
    "  retry_after_s: 7\n"                                                                // 12
    "  ring_ms: 300\n"                                                                    // 13
    "  session_timers: {expires_s: 600, min_se_s: 120}\n"                                 // 14
    "  media_timeout_s: 20\n"                                                             // 15
    "  max_call_s: 1200\n"                                                                // 16
    "  inband_dtmf: false\n"                                                              // 17
    "  prompt_cache: cache/prompts\n"                                                     // 18
    "  realtime_media: false\n";                                                          // 19

ConfigLoadResult Load(const std::string& section) {
  return LoadConfigText(std::string(kBase) + section, "test.yaml");
}

std::string With(const std::string& from, const std::string& to) {
  std::string text = kSection;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test text lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string AllErrors(const ConfigLoadResult& r) {
  std::string out;
  for (const ConfigError& e : r.errors) out += e.ToString() + "\n";
  return out;
}

bool HasError(const ConfigLoadResult& r, int line, const std::vector<std::string>& words) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.line == line && std::all_of(words.begin(), words.end(), [&](const std::string& w) {
             return e.message.find(w) != std::string::npos;
           });
  });
}

TEST(TelephonyConfigLoaderTest, EveryKeyIsRead) {
  const ConfigLoadResult r = Load(kSection);
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const TelephonySettings& t = r.config.telephony;
  EXPECT_EQ(t.sip_listen, "127.0.0.2");
  EXPECT_EQ(t.sip_port, 5070);
  EXPECT_EQ(t.sip_transports, std::vector<std::string>{"udp"});
  EXPECT_EQ(t.rtp_listen, "127.0.0.3");
  EXPECT_EQ(t.rtp_port_min, 30000);
  EXPECT_EQ(t.rtp_port_max, 30099);
  EXPECT_EQ(t.RtpPortCount(), 50);
  EXPECT_EQ(t.max_calls, 40);
  EXPECT_EQ(t.retry_after_s, 7);
  EXPECT_EQ(t.ring_ms, 300);
  EXPECT_EQ(t.session_expires_s, 600);
  EXPECT_EQ(t.min_se_s, 120);
  EXPECT_EQ(t.media_timeout_s, 20);
  EXPECT_EQ(t.max_call_s, 1200);
  EXPECT_FALSE(t.inband_dtmf);
  EXPECT_EQ(t.prompt_cache, "cache/prompts");
  EXPECT_FALSE(t.realtime_media);
}

TEST(TelephonyConfigLoaderTest, NoSectionGivesTheDemoDefaults) {
  const ConfigLoadResult r = Load("");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const TelephonySettings& t = r.config.telephony;
  EXPECT_EQ(t.sip_listen, "127.0.0.1");
  EXPECT_EQ(t.sip_port, 5060);
  EXPECT_EQ(t.sip_transports, (std::vector<std::string>{"udp", "tcp"}));
  EXPECT_EQ(t.rtp_port_min, 20000);
  EXPECT_EQ(t.rtp_port_max, 20999);
  EXPECT_LE(t.max_calls, t.RtpPortCount());
  EXPECT_TRUE(t.realtime_media);
}

TEST(TelephonyConfigLoaderTest, DefaultMaxCallsShrinksToASmallPortRange) {
  const ConfigLoadResult r = Load("telephony: {rtp: {ports: \"40000-40019\"}}\n");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.telephony.max_calls, 10);
}

TEST(TelephonyConfigLoaderTest, MistakesAreReportedOnTheirLine) {
  struct Case {
    std::string from, to;
    int line;
    std::vector<std::string> words;
  };
  const std::vector<Case> cases = {
      {"listen: 127.0.0.2", "listen: localhost", 9, {"telephony.sip.listen", "IPv4"}},
      {"port: 5070", "port: 70000", 9, {"telephony.sip.port", "1..65535"}},
      {"[udp]", "[udp, tls]", 9, {"transports[1]", "udp or tcp"}},
      {"[udp]", "[udp, udp]", 9, {"udp is listed twice"}},
      {"[udp]", "[]", 9, {"at least one"}},
      {"listen: 127.0.0.3", "listen: 0.0.0.0", 10, {"telephony.rtp.listen", "SDP"}},
      {"\"30000-30099\"", "\"30099-30000\"", 10, {"telephony.rtp.ports", "20000-20999"}},
      {"\"30000-30099\"", "\"80-90\"", 10, {"telephony.rtp.ports"}},
      {"max_calls: 40", "max_calls: 51", 11, {"telephony.max_calls", "51", "has 50"}},
      {"retry_after_s: 7", "retry_after_s: soon", 12, {"telephony.retry_after_s", "whole number"}},
      {"min_se_s: 120", "min_se_s: 900", 14, {"min_se_s", "above expires_s"}},
      {"media_timeout_s: 20", "media_timeout_s: 1", 15, {"media_timeout_s", "5..3600"}},
      {"inband_dtmf: false", "inband_dtmf: maybe", 17, {"inband_dtmf"}},
      {"prompt_cache: cache/prompts", "promt_cache: x", 18, {"promt_cache", "prompt_cache"}},
  };
  for (const Case& c : cases) {
    const ConfigLoadResult r = Load(With(c.from, c.to));
    EXPECT_TRUE(HasError(r, c.line, c.words)) << c.to << "\n" << AllErrors(r);
  }
}

TEST(TelephonyConfigLoaderTest, ThePortRangeFormat) {
  EXPECT_EQ(ParsePortRange("20000-20999"), (std::pair<uint16_t, uint16_t>{20000, 20999}));
  EXPECT_FALSE(ParsePortRange("20000"));
  EXPECT_FALSE(ParsePortRange("20000-20000"));
  EXPECT_FALSE(ParsePortRange("1000-2000"));
  EXPECT_FALSE(ParsePortRange("60000-70000"));
  EXPECT_FALSE(ParsePortRange("a-b"));
}

TEST(TelephonyConfigLoaderTest, TheDemoServesOnLoopback5060) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const TelephonySettings& t = r.config.telephony;
  EXPECT_EQ(t.sip_listen, "127.0.0.1");
  EXPECT_EQ(t.sip_port, 5060);
  EXPECT_EQ(t.rtp_port_min, 20000);
  EXPECT_EQ(t.rtp_port_max, 20999);
}

}  // namespace
}  // namespace gosline

namespace gosline {
namespace {

// R22: encrypted voice, per line and per dialled number.
TEST(TelephonyConfigLoaderTest, SrtpPolicyPerLineAndPerNumber) {
  const ConfigLoadResult r = Load(std::string(kSection) +
                                  "  srtp: required\n"
                                  "  srtp_numbers: {\"115\": offer}\n"
                                  "  srtp_over_udp: true\n");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.telephony.srtp, "required");
  EXPECT_EQ(r.config.telephony.srtp_numbers.at("115"), "offer");
  EXPECT_TRUE(r.config.telephony.srtp_over_udp);
  EXPECT_EQ(Load("").config.telephony.srtp, "offer");  // the default
}

TEST(TelephonyConfigLoaderTest, SrtpMistakesAreReportedOnTheirLine) {
  const ConfigLoadResult bad_mode = Load(std::string(kSection) + "  srtp: yes\n");
  EXPECT_TRUE(HasError(bad_mode, 20, {"telephony.srtp", "off, offer or required"}))
      << AllErrors(bad_mode);
  const ConfigLoadResult unknown = Load(std::string(kSection) + "  srtp_numbers: {\"116\": required}\n");
  EXPECT_TRUE(HasError(unknown, 20, {"116", "service.numbers"})) << AllErrors(unknown);
  const ConfigLoadResult bad_value = Load(std::string(kSection) + "  srtp_numbers: {\"115\": maybe}\n");
  EXPECT_TRUE(HasError(bad_value, 20, {"telephony.srtp_numbers.115"})) << AllErrors(bad_value);
}

}  // namespace
}  // namespace gosline
