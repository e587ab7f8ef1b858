#include "config/security_config_loader.h"

#include <arpa/inet.h>

#include <optional>
#include <string>

#include "core/security/number_list.h"

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
                 "password_workers", "password_queue", "audit_path", "bootstrap_api_key", "abuse",
                 "retention"});
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
    m.Integer("password_workers", s_.password_workers, 1, 256, Need::kOptional);
    m.Integer("password_queue", s_.password_queue, 0, 100'000, Need::kOptional);
    m.Text("audit_path", s_.audit_path, Need::kOptional);
    if (auto n = m.Get("bootstrap_api_key")) Bootstrap(*n);
    if (auto n = m.Get("abuse")) Abuse(*n);
    if (auto n = m.Get("retention")) Retention(*n);
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

  void Retention(const YAML::Node& node) {
    MapReader m(errors_, node, "security.retention",
                {"call_metadata_days", "personal_data_days", "recording_days"});
    RetentionSettings& r = s_.retention;
    m.Integer("call_metadata_days", r.call_metadata_days, 1, 100 * 366, Need::kOptional);
    m.Integer("personal_data_days", r.personal_data_days, 1, 100 * 366, Need::kOptional);
    m.Integer("recording_days", r.recording_days, 1, 100 * 366, Need::kOptional);
  }

  void Bootstrap(const YAML::Node& node) {
    MapReader m(errors_, node, "security.bootstrap_api_key", {"file", "scopes"});
    m.Text("file", s_.bootstrap_api_key_file, Need::kRequired);
    m.Text("scopes", s_.bootstrap_api_key_scopes, Need::kOptional);
  }

  void Abuse(const YAML::Node& node) {
    MapReader m(errors_, node, "security.abuse",
                {"enabled", "per_number", "per_prefix", "per_source", "flood", "block_status",
                 "block", "allow", "trusted_sources"});
    if (!m.is_map()) return;
    AbuseSettings& a = s_.abuse;
    m.Bool("enabled", a.enabled, Need::kOptional);
    if (auto n = m.Get("per_number")) {
      MapReader b(errors_, *n, "security.abuse.per_number", {"calls", "refill_s"});
      b.Integer("calls", a.per_number_calls, 1, 100'000, Need::kOptional);
      b.Integer("refill_s", a.per_number_refill_s, 1, 86'400, Need::kOptional);
    }
    if (auto n = m.Get("per_prefix")) {
      MapReader b(errors_, *n, "security.abuse.per_prefix", {"calls", "refill_ms", "digits"});
      b.Integer("calls", a.per_prefix_calls, 1, 10'000'000, Need::kOptional);
      b.Integer("refill_ms", a.per_prefix_refill_ms, 1, 86'400'000, Need::kOptional);
      b.Integer("digits", a.prefix_digits, 1, 14, Need::kOptional);
    }
    if (auto n = m.Get("per_source")) {
      MapReader b(errors_, *n, "security.abuse.per_source", {"calls", "refill_ms", "max_calls"});
      b.Integer("calls", a.per_source_calls, 1, 10'000'000, Need::kOptional);
      b.Integer("refill_ms", a.per_source_refill_ms, 1, 86'400'000, Need::kOptional);
      b.Integer("max_calls", a.per_source_max_calls, 0, 1'000'000, Need::kOptional);
    }
    if (auto n = m.Get("flood")) {
      MapReader f(errors_, *n, "security.abuse.flood",
                  {"short_calls", "short_call_s", "window_s", "sources", "sources_window_s",
                   "flag_s"});
      f.Integer("short_calls", a.flood_short_calls, 1, 100'000, Need::kOptional);
      f.Integer("short_call_s", a.flood_short_call_s, 1, 3600, Need::kOptional);
      f.Integer("window_s", a.flood_window_s, 1, 86'400, Need::kOptional);
      f.Integer("sources", a.flood_sources, 2, 10'000, Need::kOptional);
      f.Integer("sources_window_s", a.flood_sources_window_s, 1, 86'400, Need::kOptional);
      f.Integer("flag_s", a.flood_flag_s, 1, 30 * 86'400, Need::kOptional);
    }
    m.Formatted<int>(
        "block_status", a.block_status, Need::kOptional,
        [](const std::string& v) -> std::optional<int> {
          if (v == "603" || v == "403" || v == "486") return std::stoi(v);
          return std::nullopt;
        },
        "603, 403 or 486");
    NumberEntries(m, "block", a.block);
    NumberEntries(m, "allow", a.allow);
    TrustedSources(m, a.trusted_sources);
  }

  // IP literals, as the SIP stack reports where a request came from.
  void TrustedSources(MapReader& m, std::vector<std::string>& out) {
    auto list = m.Get("trusted_sources");
    if (!list) return;
    const std::string path = "security.abuse.trusted_sources";
    if (!list->IsSequence()) {
      errors_.Add(*list, path + ": expected a list of IP addresses like \"192.0.2.10\"");
      return;
    }
    out.clear();
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& n = (*list)[i];
      in6_addr probe{};
      if (!n.IsScalar() || (inet_pton(AF_INET, n.Scalar().c_str(), &probe) != 1 &&
                            inet_pton(AF_INET6, n.Scalar().c_str(), &probe) != 1)) {
        errors_.Add(n, path + "[" + std::to_string(i) + "]: expected an IP address, got " +
                           yaml_reader::Describe(n));
        continue;
      }
      out.push_back(n.Scalar());
    }
  }

  // Each entry is checked as the call path will read it (core NumberList).
  void NumberEntries(MapReader& m, const std::string& key, std::vector<std::string>& out) {
    auto list = m.Get(key);
    if (!list) return;
    const std::string path = "security.abuse." + key;
    if (!list->IsSequence()) {
      errors_.Add(*list, path + ": expected a list of numbers like \"+74951234567\" or \"+7900*\"");
      return;
    }
    out.clear();
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& n = (*list)[i];
      security::NumberList probe;
      if (!n.IsScalar() || !probe.Add(n.Scalar()).ok()) {
        errors_.Add(n, path + "[" + std::to_string(i) + "]: expected an E.164 number or a prefix ending in '*', got " +
                           yaml_reader::Describe(n));
        continue;
      }
      out.push_back(n.Scalar());
    }
  }

  SecuritySettings& s_;
  ErrorList& errors_;
};

}  // namespace

void ParseSecuritySection(const YAML::Node& node, Config& config, ErrorList& errors) {
  SecurityReader(config.security, errors).Read(node);
}

}  // namespace gosline
