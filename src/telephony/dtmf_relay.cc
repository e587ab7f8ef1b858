#include "telephony/dtmf_relay.h"

#include <strings.h>

#include <cctype>
#include <string>

namespace gosline::telephony {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<char> DigitOf(std::string_view v) {
  v = Trim(v);
  if (v.size() == 2 && v == "10") return '*';
  if (v.size() == 2 && v == "11") return '#';
  if (v.size() != 1) return std::nullopt;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
  if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
  return std::nullopt;
}

bool TypeIs(std::string_view content_type, const char* want) {
  content_type = Trim(content_type.substr(0, content_type.find(';')));
  const std::string ct(content_type);
  return strcasecmp(ct.c_str(), want) == 0;
}

}  // namespace

std::optional<char> ParseDtmfRelayBody(std::string_view content_type, std::string_view body) {
  if (TypeIs(content_type, "application/dtmf")) return DigitOf(body);
  if (!TypeIs(content_type, "application/dtmf-relay")) return std::nullopt;
  while (!body.empty()) {
    const size_t eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(Trim(line.substr(0, eq)));
    if (strcasecmp(key.c_str(), "Signal") == 0) return DigitOf(line.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace gosline::telephony
