#include "config/security_config_loader.h"

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

TEST(SecurityConfigTest, DefaultsWithoutTheSection) {
  ConfigLoadResult r = Load("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.security.key_file, "");
  EXPECT_FALSE(r.config.security.create_key_if_missing);
  EXPECT_EQ(r.config.security.session_idle_minutes, 30);
  EXPECT_EQ(r.config.security.password_hash, "moderate");
}

TEST(SecurityConfigTest, ReadsEveryField) {
  ConfigLoadResult r = Load(
      "security:\n"
      "  key_file: var/keys/data.key\n"
      "  create_key_if_missing: true\n"
      "  sessions: {idle_minutes: 10, absolute_minutes: 60}\n"
      "  lockout: {account_failures: 3, address_failures: 9, window_minutes: 5,\n"
      "            account_minutes: 2, address_minutes: 7}\n"
      "  password_hash: interactive\n"
      "  audit_path: var/audit.db\n"
      "  bootstrap_api_key: {file: var/demo-credentials, scopes: \"cases:read\"}\n");
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  const SecuritySettings& s = r.config.security;
  EXPECT_EQ(s.key_file, "var/keys/data.key");
  EXPECT_TRUE(s.create_key_if_missing);
  EXPECT_EQ(s.session_idle_minutes, 10);
  EXPECT_EQ(s.session_absolute_minutes, 60);
  EXPECT_EQ(s.lockout_account_failures, 3);
  EXPECT_EQ(s.lockout_address_failures, 9);
  EXPECT_EQ(s.lockout_window_minutes, 5);
  EXPECT_EQ(s.lockout_account_minutes, 2);
  EXPECT_EQ(s.lockout_address_minutes, 7);
  EXPECT_EQ(s.password_hash, "interactive");
  EXPECT_EQ(s.audit_path, "var/audit.db");
  EXPECT_EQ(s.bootstrap_api_key_file, "var/demo-credentials");
  EXPECT_EQ(s.bootstrap_api_key_scopes, "cases:read");
}

TEST(SecurityConfigTest, MistakesPointAtTheirLine) {
  ConfigLoadResult r = Load(
      "security:\n"                                            // 8
      "  create_key_if_missing: true\n"                        // 9
      "  sessions: {idle_minutes: 60, absolute_minutes: 30}\n" // 10
      "  lockout: {account_failures: 0}\n"                     // 11
      "  password_hash: weak\n"                                // 12
      "  bootstrap_api_key: {scopes: x}\n"                     // 13
      "  tls: yes\n");                                         // 14
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasError(r, 9, "key_file"));
  EXPECT_TRUE(HasError(r, 10, "below idle_minutes"));
  EXPECT_TRUE(HasError(r, 11, "account_failures"));
  EXPECT_TRUE(HasError(r, 12, "moderate"));
  EXPECT_TRUE(HasError(r, 13, "file"));
  EXPECT_TRUE(HasError(r, 14, "tls"));
}

}  // namespace
}  // namespace gosline

namespace gosline {
namespace {

// R23: retention periods in security.retention.
TEST(SecurityConfigTest, RetentionPeriodsDefaultAndConfigurable) {
  ConfigLoadResult d = Load("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.config.security.retention.call_metadata_days, 30);
  EXPECT_EQ(d.config.security.retention.personal_data_days, 30);
  EXPECT_EQ(d.config.security.retention.recording_days, 5 * 365 + 2);
  ConfigLoadResult r = Load(
      "security: {retention: {call_metadata_days: 7, personal_data_days: 14, recording_days: 365}}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.security.retention.call_metadata_days, 7);
  EXPECT_EQ(r.config.security.retention.personal_data_days, 14);
  EXPECT_EQ(r.config.security.retention.recording_days, 365);
  EXPECT_FALSE(Load("security: {retention: {call_metadata_days: 0}}\n").ok());
  EXPECT_FALSE(Load("security: {retention: {forever: true}}\n").ok());
}

}  // namespace
}  // namespace gosline
