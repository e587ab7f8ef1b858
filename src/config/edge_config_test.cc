// The TLS (R22) and abuse (R25) settings: http.tls, telephony.sip.tls, security.abuse.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.h"

namespace gosline {
namespace {

constexpr const char* kBase =
    "service: {name: Test, numbers: [\"115\"]}\n"                                        // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                           // 2
    "centres: [{id: federal, name: F, hours: always, utc_offset: \"+03:00\"}]\n"          // 3
    "agencies: [{id: a, name: A}]\n"                                                      // 4
    "topics: [{id: t, names: {ru: Т}, agency: a}]\n"                                      // 5
    "queues: [{id: q, topic: t, centre: federal}]\n"                                      // 6
    "escalation: {hours: always, centre: federal}\n";                                     // 7

ConfigLoadResult Load(const std::string& section) {
  return LoadConfigText(std::string(kBase) + section, "test.yaml");
}

bool HasError(const ConfigLoadResult& r, int line, const std::string& word) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.line == line && e.message.find(word) != std::string::npos;
  });
}

TEST(EdgeConfigTest, TlsIsOffByDefaultAndReadsItsPaths) {
  ConfigLoadResult off = Load("");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off.config.http.tls.enabled);
  EXPECT_FALSE(off.config.telephony.sip_tls);
  EXPECT_TRUE(off.config.security.abuse.enabled);

  ConfigLoadResult r = Load(
      "http:\n"
      "  tls: {enabled: true, port: 9443, cert_file: c.pem, key_file: k.pem, min_version: \"1.3\"}\n"
      "telephony:\n"
      "  sip:\n"
      "    tls: {enabled: true, port: 5071, cert_dir: certs/sip}\n");
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().message);
  EXPECT_TRUE(r.config.http.tls.enabled);
  EXPECT_EQ(r.config.http.tls.port, 9443);
  EXPECT_EQ(r.config.http.tls.cert_file, "c.pem");
  EXPECT_EQ(r.config.http.tls.key_file, "k.pem");
  EXPECT_EQ(r.config.http.tls.min_version, "1.3");
  EXPECT_TRUE(r.config.telephony.sip_tls);
  EXPECT_EQ(r.config.telephony.sip_tls_port, 5071);
  EXPECT_EQ(r.config.telephony.sip_tls_cert_dir, "certs/sip");
}

TEST(EdgeConfigTest, TlsMistakesNameTheirLine) {
  ConfigLoadResult r = Load(
      "http:\n"                                         // 8
      "  tls: {min_version: \"1.0\", colour: red}\n");  // 9
  EXPECT_TRUE(HasError(r, 9, "1.2 or 1.3")) << (r.errors.empty() ? "" : r.errors.front().message);
  EXPECT_TRUE(HasError(r, 9, "colour"));
}

TEST(EdgeConfigTest, ReadsTheAbuseSection) {
  ConfigLoadResult r = Load(
      "security:\n"
      "  abuse:\n"
      "    enabled: true\n"
      "    per_number: {calls: 3, refill_s: 60}\n"
      "    per_prefix: {calls: 50, refill_ms: 100, digits: 5}\n"
      "    flood: {short_calls: 4, short_call_s: 5, window_s: 60, sources: 3,\n"
      "            sources_window_s: 120, flag_s: 600}\n"
      "    block_status: 486\n"
      "    block: [\"+7900*\", \"8 495 123-45-67\"]\n"
      "    allow: [\"+74957274747\"]\n"
      "    per_source: {calls: 20, refill_ms: 500, max_calls: 8}\n"
      "    trusted_sources: [\"192.0.2.10\", \"2001:db8::1\"]\n");
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().message);
  const AbuseSettings& a = r.config.security.abuse;
  EXPECT_EQ(a.per_number_calls, 3);
  EXPECT_EQ(a.per_number_refill_s, 60);
  EXPECT_EQ(a.per_prefix_calls, 50);
  EXPECT_EQ(a.prefix_digits, 5);
  EXPECT_EQ(a.flood_short_calls, 4);
  EXPECT_EQ(a.flood_sources, 3);
  EXPECT_EQ(a.flood_flag_s, 600);
  EXPECT_EQ(a.block_status, 486);
  EXPECT_EQ(a.block.size(), 2u);
  EXPECT_EQ(a.allow.size(), 1u);
  EXPECT_EQ(a.per_source_calls, 20);
  EXPECT_EQ(a.per_source_refill_ms, 500);
  EXPECT_EQ(a.per_source_max_calls, 8);
  EXPECT_EQ(a.trusted_sources, (std::vector<std::string>{"192.0.2.10", "2001:db8::1"}));
}

TEST(EdgeConfigTest, AbuseMistakesNameTheirLine) {
  ConfigLoadResult r = Load(
      "security:\n"                                              // 8
      "  abuse:\n"                                               // 9
      "    block_status: 500\n"                                  // 10
      "    block: [\"+7900*\", \"'; DROP TABLE calls; --\"]\n"   // 11
      "    allow: \"+74957274747\"\n"                            // 12
      "    trusted_sources: [\"10.0.0.1\", \"trunk.example\"]\n"  // 13
      "    per_source: {max_calls: -1}\n");                     // 14
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasError(r, 13, "security.abuse.trusted_sources[1]: expected an IP address"));
  EXPECT_TRUE(HasError(r, 14, "max_calls"));
  EXPECT_TRUE(HasError(r, 10, "603, 403 or 486"));
  EXPECT_TRUE(HasError(r, 11, "security.abuse.block[1]"));
  EXPECT_TRUE(HasError(r, 12, "expected a list"));
}

}  // namespace
}  // namespace gosline
