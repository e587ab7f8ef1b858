#include "config/telephony_config_loader.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/config_values.h"

namespace gosline {
namespace {

using yaml_reader::ErrorList;
using yaml_reader::ForEachItem;
using yaml_reader::MapReader;
using yaml_reader::Need;

const std::vector<std::string> kTransports = {"udp", "tcp"};

bool IsIpv4(const std::string& text) {
  in_addr a{};
  return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

class TelephonyReader {
 public:
  TelephonyReader(TelephonySettings& out, ErrorList& errors) : t_(out), errors_(errors) {}

  void Read(const YAML::Node& node) {
    MapReader m(errors_, node, "telephony",
                {"sip", "rtp", "max_calls", "retry_after_s", "ring_ms", "session_timers",
                 "media_timeout_s", "max_call_s", "inband_dtmf", "realtime_media",
                 "prompt_cache", "operator_passwords_file", "recordings_dir", "callback_key",
                 "operator_no_response_ms", "srtp", "srtp_numbers", "srtp_over_udp"});
    if (!m.is_map()) return;
    if (auto n = m.Get("sip")) Sip(*n);
    if (auto n = m.Get("rtp")) Rtp(*n);
    const int ports = t_.RtpPortCount();
    if (m.Integer("max_calls", t_.max_calls, 1, 100'000, Need::kOptional)) {
      if (rtp_ok_ && t_.max_calls > ports) {
        errors_.Add(*m.Get("max_calls"),
                    "telephony.max_calls: " + std::to_string(t_.max_calls) +
                        " calls need as many even RTP ports, telephony.rtp.ports has " +
                        std::to_string(ports));
      }
    } else if (!m.Get("max_calls")) {
      t_.max_calls = std::min(t_.max_calls, ports);  // the default fits the port range
    }
    m.Integer("retry_after_s", t_.retry_after_s, 1, 3600, Need::kOptional);
    m.Integer("ring_ms", t_.ring_ms, 0, 60'000, Need::kOptional);
    if (auto n = m.Get("session_timers")) SessionTimers(*n);
    m.Integer("media_timeout_s", t_.media_timeout_s, 5, 3600, Need::kOptional);
    m.Integer("max_call_s", t_.max_call_s, 60, 86'400, Need::kOptional);
    m.Bool("inband_dtmf", t_.inband_dtmf, Need::kOptional);
    m.Bool("realtime_media", t_.realtime_media, Need::kOptional);
    m.Text("prompt_cache", t_.prompt_cache, Need::kOptional);
    m.Text("operator_passwords_file", t_.operator_passwords_file, Need::kOptional);
    m.Text("recordings_dir", t_.recordings_dir, Need::kOptional);
    m.Formatted<char>(
        "callback_key", t_.callback_key, Need::kOptional,
        [](const std::string& s) -> std::optional<char> {
          if (s.size() != 1 || std::string_view("0123456789*#").find(s[0]) == std::string_view::npos) {
            return std::nullopt;
          }
          return s[0];
        },
        "one key: 0-9, * or #");
    m.Integer("operator_no_response_ms", t_.operator_no_response_ms, 500, 60'000, Need::kOptional);
    m.Formatted<std::string>("srtp", t_.srtp, Need::kOptional, SrtpMode, kSrtpModes);
    m.Bool("srtp_over_udp", t_.srtp_over_udp, Need::kOptional);
    if (auto n = m.Get("srtp_numbers")) SrtpNumbers(*n);
  }

  void set_numbers(const std::vector<std::string>* numbers) { numbers_ = numbers; }

 private:
  void Sip(const YAML::Node& node) {
    MapReader m(errors_, node, "telephony.sip",
                {"listen", "port", "transports", "user_agent", "tls"});
    if (auto tls = m.Get("tls")) SipTls(*tls);
    m.Formatted<std::string>(
        "listen", t_.sip_listen, Need::kOptional,
        [](const std::string& s) -> std::optional<std::string> {
          if (!IsIpv4(s)) return std::nullopt;
          return s;
        },
        "an IPv4 address like 127.0.0.1 (0.0.0.0 for every interface)");
    m.Integer("port", t_.sip_port, 1, 65535, Need::kOptional);
    m.Text("user_agent", t_.user_agent, Need::kOptional);
    std::optional<YAML::Node> transports = m.Get("transports");
    if (!transports) return;
    std::vector<std::string> list;
    ForEachItem(errors_, *transports, "telephony.sip.transports",
                [&](const YAML::Node& n, const std::string& path) {
                  auto t = yaml_reader::ReadFormatted<std::string>(
                      errors_, n, path,
                      [](const std::string& s) -> std::optional<std::string> {
                        if (std::find(kTransports.begin(), kTransports.end(), s) ==
                            kTransports.end()) {
                          return std::nullopt;
                        }
                        return s;
                      },
                      "udp or tcp (TLS: telephony.sip.tls)");
                  if (!t) return;
                  if (std::find(list.begin(), list.end(), *t) != list.end()) {
                    errors_.Add(n, path + ": " + *t + " is listed twice");
                  } else {
                    list.push_back(*t);
                  }
                });
    if (transports->IsSequence() && transports->size() == 0) {
      errors_.Add(*transports, "telephony.sip.transports: expected at least one of udp, tcp");
    }
    if (!list.empty()) t_.sip_transports = list;
  }

  void SipTls(const YAML::Node& node) {
    MapReader m(errors_, node, "telephony.sip.tls", {"enabled", "port", "cert_dir"});
    m.Bool("enabled", t_.sip_tls, Need::kOptional);
    m.Integer("port", t_.sip_tls_port, 1, 65535, Need::kOptional);
    m.Text("cert_dir", t_.sip_tls_cert_dir, Need::kOptional);
  }

  void Rtp(const YAML::Node& node) {
    MapReader m(errors_, node, "telephony.rtp", {"listen", "ports"});
    m.Formatted<std::string>(
        "listen", t_.rtp_listen, Need::kOptional,
        [](const std::string& s) -> std::optional<std::string> {
          if (!IsIpv4(s) || s == "0.0.0.0") return std::nullopt;
          return s;
        },
        "the IPv4 address callers send RTP to (it is written into SDP; not 0.0.0.0)");
    std::pair<uint16_t, uint16_t> range{t_.rtp_port_min, t_.rtp_port_max};
    if (auto ports = m.Get("ports")) {
      rtp_ok_ = m.Formatted<std::pair<uint16_t, uint16_t>>(
          "ports", range, Need::kOptional,
          [](const std::string& s) { return ParsePortRange(s); },
          "a range of UDP ports like \"20000-20999\" (1024..65535, at least 2 ports)");
      t_.rtp_port_min = range.first;
      t_.rtp_port_max = range.second;
    }
  }

  void SessionTimers(const YAML::Node& node) {
    MapReader m(errors_, node, "telephony.session_timers", {"expires_s", "min_se_s"});
    m.Integer("expires_s", t_.session_expires_s, 90, 86'400, Need::kOptional);
    if (m.Integer("min_se_s", t_.min_se_s, 90, 86'400, Need::kOptional) &&
        t_.min_se_s > t_.session_expires_s) {
      errors_.Add(*m.Get("min_se_s"), "telephony.session_timers.min_se_s: " +
                                          std::to_string(t_.min_se_s) + " is above expires_s (" +
                                          std::to_string(t_.session_expires_s) + ")");
    }
  }

  static std::optional<std::string> SrtpMode(const std::string& s) {
    if (s != "off" && s != "offer" && s != "required") return std::nullopt;
    return s;
  }
  static constexpr const char* kSrtpModes = "off, offer or required (encrypted audio, R22)";

  // Per dialled number: each a number of service.numbers (else the setting
  // could never apply: a likely typo).
  void SrtpNumbers(const YAML::Node& node) {
    const std::string path = "telephony.srtp_numbers";
    if (!node.IsMap()) {
      errors_.Add(node, path + ": expected a map of dialled number -> off, offer or required");
      return;
    }
    for (const auto& item : node) {
      const std::string number = item.first.Scalar();
      const std::string item_path = path + "." + number;
      auto mode = yaml_reader::ReadFormatted<std::string>(errors_, item.second, item_path, SrtpMode,
                                                          kSrtpModes);
      if (numbers_ != nullptr &&
          std::find(numbers_->begin(), numbers_->end(), number) == numbers_->end()) {
        errors_.Add(item.first, item_path + ": \"" + number + "\" is not one of service.numbers");
        continue;
      }
      if (mode) t_.srtp_numbers[number] = *mode;
    }
  }

  TelephonySettings& t_;
  ErrorList& errors_;
  const std::vector<std::string>* numbers_ = nullptr;
  bool rtp_ok_ = true;
};

}  // namespace

std::optional<std::pair<uint16_t, uint16_t>> ParsePortRange(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::optional<long long> lo = config_values::ParseInteger(text.substr(0, dash));
  const std::optional<long long> hi = config_values::ParseInteger(text.substr(dash + 1));
  if (!lo || !hi || *lo < 1024 || *hi > 65535 || *lo >= *hi) return std::nullopt;
  return std::pair<uint16_t, uint16_t>{static_cast<uint16_t>(*lo), static_cast<uint16_t>(*hi)};
}

void ParseTelephonySection(const YAML::Node& node, Config& config, ErrorList& errors) {
  TelephonyReader reader(config.telephony, errors);
  reader.set_numbers(&config.service.numbers);
  reader.Read(node);
}

}  // namespace gosline
