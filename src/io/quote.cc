#include "io/quote.h"

namespace gosline {

std::string QuoteForReport(std::string_view text) {
  constexpr size_t kMaxBytes = 40;
  bool cut = false;
  if (text.size() > kMaxBytes) {
    size_t end = kMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "'";
  for (char ch : text) out += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
  return out + (cut ? "...'" : "'");
}

}  // namespace gosline
