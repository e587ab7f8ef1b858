#include "config/security_config_loader.h"

#include <optional>
#include <string>

namespace gosline {
namespace {

using yaml_reader::ErrorList;
using yaml_reader::MapReader;
using yaml_reader::Need;

class SecurityReader {
 public:
  SecurityReader(SecuritySettings& out, ErrorList& errors) : s_(out), errors_(errors) {}

  void Read(const YAML::Node& node) {
    MapReader m(errors_, node, "security",
                {"key_file", "create_key_if_missing", "sessions", "lockout", "password_hash",
                 "audit_path", "bootstrap_api_key"});
    if (!m.is_map()) return;
    m.Text("key_file", s_.key_file, Need::kOptional);
    m.Bool("create_key_if_missing", s_.create_key_if_missing, Need::kOptional);
    if (s_.create_key_if_missing && s_.key_file.empty() && m.Get("create_key_if_missing")) {
      errors_.Add(*m.Get("create_key_if_missing"),
                  "security.create_key_if_missing: needs security.key_file (where to create it)");
    }
    if (auto n = m.Get("sessions")) Sessions(*n);
    if (auto n = m.Get("lockout")) Lockout(*n);
    m.Formatted<std::string>(
        "password_hash", s_.password_hash, Need::kOptional,
        [](const std::string& v) -> std::optional<std::string> {
          if (v == "moderate" || v == "interactive" || v == "minimum") return v;
          return std::nullopt;
        },
        "moderate, interactive or minimum (tests only)");
    m.Text("audit_path", s_.audit_path, Need::kOptional);
    if (auto n = m.Get("bootstrap_api_key")) Bootstrap(*n);
  }

 private:
  void Sessions(const YAML::Node& node) {
    MapReader m(errors_, node, "security.sessions", {"idle_minutes", "absolute_minutes"});
    m.Integer("idle_minutes", s_.session_idle_minutes, 1, 24 * 60, Need::kOptional);
    if (m.Integer("absolute_minutes", s_.session_absolute_minutes, 1, 7 * 24 * 60,
                  Need::kOptional) &&
        s_.session_absolute_minutes < s_.session_idle_minutes) {
      errors_.Add(*m.Get("absolute_minutes"),
                  "security.sessions.absolute_minutes: " +
                      std::to_string(s_.session_absolute_minutes) + " is below idle_minutes (" +
                      std::to_string(s_.session_idle_minutes) + ")");
    }
  }

  void Lockout(const YAML::Node& node) {
    MapReader m(errors_, node, "security.lockout",
                {"account_failures", "address_failures", "window_minutes", "account_minutes",
                 "address_minutes"});
    m.Integer("account_failures", s_.lockout_account_failures, 1, 1000, Need::kOptional);
    m.Integer("address_failures", s_.lockout_address_failures, 1, 100'000, Need::kOptional);
    m.Integer("window_minutes", s_.lockout_window_minutes, 1, 24 * 60, Need::kOptional);
    m.Integer("account_minutes", s_.lockout_account_minutes, 1, 24 * 60, Need::kOptional);
    m.Integer("address_minutes", s_.lockout_address_minutes, 1, 24 * 60, Need::kOptional);
  }

  void Bootstrap(const YAML::Node& node) {
    MapReader m(errors_, node, "security.bootstrap_api_key", {"file", "scopes"});
    m.Text("file", s_.bootstrap_api_key_file, Need::kRequired);
    m.Text("scopes", s_.bootstrap_api_key_scopes, Need::kOptional);
  }

  SecuritySettings& s_;
  ErrorList& errors_;
};

}  // namespace

void ParseSecuritySection(const YAML::Node& node, Config& config, ErrorList& errors) {
  SecurityReader(config.security, errors).Read(node);
}

}  // namespace gosline
