#include "config/citizen_api_config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/config_loader.h"

namespace gosline {
namespace {

// The smallest valid file; the citizen_api section follows on line 8.
constexpr const char* kBase =
    "service: {name: Test, numbers: [\"115\"]}\n"                                // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                   // 2
    "centres: [{id: federal, name: F, hours: always, utc_offset: \"+03:00\"}]\n"  // 3
    "agencies: [{id: a, name: A}]\n"                                              // 4
    "topics: [{id: t, names: {ru: Т}, agency: a}]\n"                              // 5
    "queues: [{id: q, topic: t, centre: federal}]\n"                              // 6
    "escalation: {hours: always, centre: federal}\n";                             // 7

ConfigLoadResult Load(const std::string& section) {
  return LoadConfigText(std::string(kBase) + section, "test.yaml");
}

bool HasError(const ConfigLoadResult& r, const std::string& words) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.message.find(words) != std::string::npos;
  });
}

TEST(CitizenApiConfigLoaderTest, R26OffWithoutTheSection) {
  const ConfigLoadResult r = Load("");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.config.citizen_api.enabled());
  EXPECT_EQ(r.config.citizen_api.webhook_retry_hours, 24);
}

TEST(CitizenApiConfigLoaderTest, R26EveryKeyIsRead) {
  const ConfigLoadResult r = Load(
      "citizen_api:\n"
      "  issuer: https://esia.example.gov\n"
      "  audience: gosline\n"
      "  jwks_file: /etc/gosline/esia.jwks\n"
      "  jwks_url: https://esia.example.gov/jwks\n"
      "  leeway_seconds: 30\n"
      "  requests_per_minute_per_subject: 10\n"
      "  requests_per_minute_per_address: 20\n"
      "  webhook_timeout_ms: 2000\n"
      "  webhook_first_retry_ms: 250\n"
      "  webhook_retry_hours: 48\n"
      "  webhook_queue: 50\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const CitizenApiSettings& c = r.config.citizen_api;
  EXPECT_TRUE(c.enabled());
  EXPECT_EQ(c.audience, "gosline");
  EXPECT_EQ(c.jwks_file, "/etc/gosline/esia.jwks");
  EXPECT_EQ(c.jwks_url, "https://esia.example.gov/jwks");
  EXPECT_EQ(c.leeway_seconds, 30);
  EXPECT_EQ(c.requests_per_minute_per_subject, 10);
  EXPECT_EQ(c.requests_per_minute_per_address, 20);
  EXPECT_EQ(c.webhook_timeout_ms, 2000);
  EXPECT_EQ(c.webhook_first_retry_ms, 250);
  EXPECT_EQ(c.webhook_retry_hours, 48);
  EXPECT_EQ(c.webhook_queue, 50);
}

TEST(CitizenApiConfigLoaderTest, R26MistakesAreReported) {
  EXPECT_TRUE(HasError(Load("citizen_api: {issuer: x, jwks_file: k}\n"), "citizen_api.audience: required"));
  EXPECT_TRUE(HasError(Load("citizen_api: {issuer: x, audience: y}\n"), "give jwks_file or jwks_url"));
  EXPECT_TRUE(HasError(Load("citizen_api: {jwks_url: \"http://provider.example/jwks\"}\n"),
                       "an https:// URL"));
  EXPECT_TRUE(Load("citizen_api: {issuer: x, audience: y, jwks_url: \"http://127.0.0.1:9/k\"}\n").ok());
  EXPECT_TRUE(HasError(Load("citizen_api: {leeway_seconds: 3600}\n"), "leeway_seconds"));
  EXPECT_TRUE(HasError(Load("citizen_api: {secret: x}\n"), "unknown key"));
}

}  // namespace
}  // namespace gosline
