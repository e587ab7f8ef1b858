#include "http/websocket_origin.h"

#include <algorithm>
#include <cctype>

namespace gosline::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

bool WebSocketOriginAllowed(const HttpRequest& request, const std::vector<std::string>& allowed) {
  std::optional<std::string_view> origin = request.Header("origin");
  if (!origin) return true;
  const std::string o = Lower(*origin);
  for (const std::string& a : allowed) {
    if (o == Lower(a)) return true;
  }
  // The server's own pages: the Origin names the host the request was sent to.
  std::optional<std::string_view> host = request.Header("host");
  if (!host || host->empty()) return false;
  const std::string h = Lower(*host);
  return o == "http://" + h || o == "https://" + h;
}

}  // namespace gosline::http
