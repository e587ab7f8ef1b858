#include "config/citizen_api_config_loader.h"

#include <optional>
#include <string>

namespace gosline {
namespace {

std::optional<std::string> HttpsUrl(const std::string& text) {
  if (text.size() > 2000) return std::nullopt;
  if (text.rfind("https://", 0) == 0 && text.size() > 8) return text;
  // Plain http only to this host (a provider's sidecar, tests).
  for (const char* loopback : {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                               "http://localhost/", "http://[::1]:"}) {
    if (text.rfind(loopback, 0) == 0) return text;
  }
  return std::nullopt;
}

}  // namespace

void ParseCitizenApiSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors) {
  using yaml_reader::Need;
  yaml_reader::MapReader m(
      errors, node, "citizen_api",
      {"issuer", "audience", "jwks_file", "jwks_url", "jwks_ca_file", "leeway_seconds",
       "requests_per_minute_per_subject", "requests_per_minute_per_address", "webhook_timeout_ms",
       "webhook_first_retry_ms", "webhook_retry_hours", "webhook_queue"});
  if (!m.is_map()) return;
  CitizenApiSettings& c = config.citizen_api;
  m.Text("issuer", c.issuer, Need::kOptional);
  m.Text("audience", c.audience, Need::kOptional);
  m.Text("jwks_file", c.jwks_file, Need::kOptional);
  m.Formatted<std::string>("jwks_url", c.jwks_url, Need::kOptional, HttpsUrl,
                           "an https:// URL (http:// only to 127.0.0.1 or localhost)");
  m.Text("jwks_ca_file", c.jwks_ca_file, Need::kOptional);
  m.Integer("leeway_seconds", c.leeway_seconds, 0, 300, Need::kOptional);
  m.Integer("requests_per_minute_per_subject", c.requests_per_minute_per_subject, 1, 100'000,
            Need::kOptional);
  m.Integer("requests_per_minute_per_address", c.requests_per_minute_per_address, 1, 1'000'000,
            Need::kOptional);
  m.Integer("webhook_timeout_ms", c.webhook_timeout_ms, 100, 60'000, Need::kOptional);
  m.Integer("webhook_first_retry_ms", c.webhook_first_retry_ms, 100, 3'600'000, Need::kOptional);
  m.Integer("webhook_retry_hours", c.webhook_retry_hours, 1, 24 * 7, Need::kOptional);
  m.Integer("webhook_queue", c.webhook_queue, 1, 100'000, Need::kOptional);
  if (!c.issuer.empty()) {
    if (c.audience.empty()) {
      errors.Add(node, "citizen_api.audience: required with an issuer (the provider's client id for this line)");
    }
    if (c.jwks_file.empty() && c.jwks_url.empty()) {
      errors.Add(node, "citizen_api: with an issuer, give jwks_file or jwks_url (the provider's keys)");
    }
  }
}

}  // namespace gosline
