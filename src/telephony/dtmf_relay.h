// SIP INFO DTMF: the body of application/dtmf-relay ("Signal=5\r\nDuration=160")
// and application/dtmf ("5").
#pragma once

#include <optional>
#include <string_view>

namespace gosline::telephony {

// The digit carried, or nullopt when the body is not a valid DTMF signal.
std::optional<char> ParseDtmfRelayBody(std::string_view content_type, std::string_view body);

}  // namespace gosline::telephony
