// QR codes (libqrencode) for TOTP enrolment: the otpauth:// URI as an SVG for
// the web page, or as text for `gosline user add` in a terminal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace gosline::security {

class QrCode {
 public:
  // Error correction level M (15%), byte mode. ResourceExhausted when the
  // text is longer than a QR code can hold.
  static Result<QrCode> Encode(std::string_view text);

  int width() const { return width_; }  // modules per side, without the quiet zone
  bool Dark(int x, int y) const { return modules_[static_cast<size_t>(y * width_ + x)]; }

  // A standalone SVG with a 4-module quiet zone, `module_px` pixels a module.
  std::string ToSvg(int module_px = 4) const;
  // Two modules per character row (Unicode half blocks), light drawn as
  // blocks, for the usual dark terminal; quiet zone included.
  std::string ToTerminalText() const;

 private:
  int width_ = 0;
  std::vector<bool> modules_;
};

}  // namespace gosline::security
