// Values from an import file, quoted for a one-line report.
#pragma once

#include <string>
#include <string_view>

namespace gosline {

// 'text', cut after 40 bytes (never inside a UTF-8 sequence) and with control
// characters shown as spaces, so a hostile value cannot break or flood the report.
std::string QuoteForReport(std::string_view text);

}  // namespace gosline
