#include "security/qr_code.h"

#include <qrencode.h>

#include <memory>

namespace gosline::security {
namespace {

constexpr int kQuiet = 4;              // modules of light border the standard asks for
constexpr size_t kMaxText = 2048;      // an otpauth URI is ~150 bytes

}  // namespace

Result<QrCode> QrCode::Encode(std::string_view text) {
  if (text.size() > kMaxText) return Status::ResourceExhausted("text too long for a QR code");
  std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeData(static_cast<int>(s.size()), reinterpret_cast<const unsigned char*>(s.data()),
                        0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!qr) return Status::ResourceExhausted("text cannot be encoded as a QR code");
  QrCode code;
  code.width_ = qr->width;
  code.modules_.resize(static_cast<size_t>(qr->width) * static_cast<size_t>(qr->width));
  for (size_t i = 0; i < code.modules_.size(); ++i) code.modules_[i] = (qr->data[i] & 1) != 0;
  return code;
}

std::string QrCode::ToSvg(int module_px) const {
  const int size = (width_ + 2 * kQuiet) * module_px;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(size) +
                    "\" height=\"" + std::to_string(size) + "\" viewBox=\"0 0 " +
                    std::to_string(width_ + 2 * kQuiet) + " " + std::to_string(width_ + 2 * kQuiet) +
                    "\" shape-rendering=\"crispEdges\">";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One path, a 1x1 square per dark module, in module units.
  for (int y = 0; y < width_; ++y) {
    for (int x = 0; x < width_; ++x) {
      if (!Dark(x, y)) continue;
      svg += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

std::string QrCode::ToTerminalText() const {
  const int full = width_ + 2 * kQuiet;
  auto light = [&](int x, int y) {
    x -= kQuiet;
    y -= kQuiet;
    return x < 0 || y < 0 || x >= width_ || y >= width_ || !Dark(x, y);
  };
  std::string out;
  for (int y = 0; y < full; y += 2) {
    for (int x = 0; x < full; ++x) {
      bool top = light(x, y);
      bool bottom = y + 1 < full ? light(x, y + 1) : false;
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += '\n';
  }
  return out;
}

}  // namespace gosline::security
