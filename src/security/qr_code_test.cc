#include "security/qr_code.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

const char kUri[] =
    "otpauth://totp/gosline:operator.ivanova?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=gosline&algorithm=SHA1&digits=6&period=30";

// A finder pattern: 7x7 dark ring, light ring, 3x3 dark centre.
bool FinderAt(const QrCode& qr, int ox, int oy) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (qr.Dark(ox + x, oy + y) != (ring || centre)) return false;
    }
  }
  return true;
}

TEST(QrCodeTest, R19EnrolmentUriBecomesAValidSymbol) {
  Result<QrCode> qr = QrCode::Encode(kUri);
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  // Versions are 21 + 4k modules wide.
  EXPECT_EQ((qr->width() - 21) % 4, 0);
  EXPECT_GE(qr->width(), 29);
  int w = qr->width();
  EXPECT_TRUE(FinderAt(*qr, 0, 0));
  EXPECT_TRUE(FinderAt(*qr, w - 7, 0));
  EXPECT_TRUE(FinderAt(*qr, 0, w - 7));
  EXPECT_FALSE(FinderAt(*qr, w - 7, w - 7));  // no finder in the fourth corner
}

TEST(QrCodeTest, SvgHasOneSquarePerDarkModule) {
  Result<QrCode> qr = QrCode::Encode(kUri);
  ASSERT_TRUE(qr.ok());
  std::string svg = qr->ToSvg();
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  int dark = 0;
  for (int y = 0; y < qr->width(); ++y) {
    for (int x = 0; x < qr->width(); ++x) dark += qr->Dark(x, y) ? 1 : 0;
  }
  int squares = 0;
  for (size_t p = svg.find("h1v1h-1z"); p != std::string::npos; p = svg.find("h1v1h-1z", p + 1)) {
    ++squares;
  }
  EXPECT_EQ(squares, dark);
  // The top-left finder's corner module sits inside the quiet zone offset.
  EXPECT_NE(svg.find("M4 4h1v1h-1z"), std::string::npos);
}

TEST(QrCodeTest, TerminalTextHasTwoModulesPerRow) {
  Result<QrCode> qr = QrCode::Encode(kUri);
  ASSERT_TRUE(qr.ok());
  std::string text = qr->ToTerminalText();
  int rows = 0;
  for (char c : text) rows += c == '\n' ? 1 : 0;
  EXPECT_EQ(rows, (qr->width() + 8 + 1) / 2);
  // The first row is quiet zone only: all light, full blocks.
  std::string first = text.substr(0, text.find('\n'));
  std::string blocks;
  for (int i = 0; i < qr->width() + 8; ++i) blocks += "\u2588";
  EXPECT_EQ(first, blocks);
}

TEST(QrCodeTest, HostileOversizedTextIsRefused) {
  EXPECT_EQ(QrCode::Encode(std::string(100'000, 'x')).status().code(),
            Status::Code::kResourceExhausted);
  // Binary bytes encode (byte mode), they are not interpreted.
  EXPECT_TRUE(QrCode::Encode(std::string("\0\xff<svg>", 7)).ok());
}

}  // namespace
}  // namespace gosline::security
