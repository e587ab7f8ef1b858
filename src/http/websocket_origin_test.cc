// R20/R22: the live feed's WebSocket handshake is refused to other sites' pages.
#include "http/websocket_origin.h"

#include <gtest/gtest.h>

namespace gosline::http {
namespace {

HttpRequest Handshake(const char* host, const char* origin) {
  HttpRequest r;
  if (host != nullptr) r.headers["host"] = host;
  if (origin != nullptr) r.headers["origin"] = origin;
  return r;
}

TEST(WebSocketOriginTest, OwnPagesAndConfiguredOriginsOnly) {
  const std::vector<std::string> allowed = {"https://wallboard.gosline.example"};
  EXPECT_TRUE(WebSocketOriginAllowed(Handshake("127.0.0.1:8080", "http://127.0.0.1:8080"), allowed));
  EXPECT_TRUE(WebSocketOriginAllowed(Handshake("Gosline.example", "https://gosline.example"), allowed));
  EXPECT_TRUE(WebSocketOriginAllowed(Handshake("gosline.example", "https://Wallboard.gosline.example"),
                                     allowed));
  EXPECT_TRUE(WebSocketOriginAllowed(Handshake("gosline.example", nullptr), allowed))
      << "no Origin: not a browser page";
  EXPECT_FALSE(WebSocketOriginAllowed(Handshake("gosline.example", "https://evil.example"), allowed));
  EXPECT_FALSE(WebSocketOriginAllowed(Handshake("gosline.example", "null"), allowed));
  EXPECT_FALSE(WebSocketOriginAllowed(Handshake(nullptr, "https://gosline.example"), {}));
  EXPECT_FALSE(WebSocketOriginAllowed(Handshake("gosline.example", "https://gosline.example.evil"), {}));
}

}  // namespace
}  // namespace gosline::http
