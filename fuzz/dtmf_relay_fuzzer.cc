// SIP INFO bodies carrying DTMF (R5), which any caller's phone can send. The
// input is "<content type>\n<body>". Oracle: only a DTMF character is ever
// reported, and a body of the other type never yields one by accident of
// parsing (application/dtmf is one character, "10" or "11" once trimmed).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "telephony/dtmf_relay.h"

using gosline::telephony::ParseDtmfRelayBody;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string_view content_type = input.substr(0, eol);
  const std::string_view body =
      eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);

  for (std::string_view type : {content_type, std::string_view("application/dtmf-relay"),
                                std::string_view("application/dtmf")}) {
    std::optional<char> digit = ParseDtmfRelayBody(type, body);
    if (!digit) continue;
    const char c = *digit;
    FUZZ_CHECK((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D'));
  }
  // The same body framed as application/dtmf-relay reads the same digit.
  if (std::optional<char> plain = ParseDtmfRelayBody("application/dtmf", body)) {
    std::string relay = "Signal=";
    relay += body;
    relay += "\r\nDuration=160\r\n";
    if (body.find('\n') == std::string_view::npos) {
      FUZZ_CHECK(ParseDtmfRelayBody("application/dtmf-relay", relay) == plain);
    }
  }
  return 0;
}
