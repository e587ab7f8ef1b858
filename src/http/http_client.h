// An outgoing HTTP/1.1 request with a hard deadline: the webhooks' deliveries
// (R27) and the identity provider's keys (R26). One request per connection;
// http:// and https:// (the peer's certificate checked against the system's
// CAs, or a given CA file, and its name). The whole exchange (resolve,
// connect, TLS, write, read) must finish within the timeout, so a receiver
// that hangs costs one worker that long and no more; a response body beyond
// max_body is cut off as an error.
//
// Thread-safety: a free function; any thread, any number at once.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/common/status.h"

namespace gosline::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http://host[:port]/path or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{5000};
  std::string ca_file;  // https: "" = the system's CAs
  size_t max_body = 1 << 20;
};

struct ClientResponse {
  int status = 0;
  std::string body;
};

// The response, whatever its status; an error when no response came in time
// (kUnavailable: refused, reset, timed out; kInvalidArgument: a bad URL).
Result<ClientResponse> SendHttpRequest(const ClientRequest& request);

struct ParsedUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query, "/" at least
};
Result<ParsedUrl> ParseHttpUrl(const std::string& url);

}  // namespace gosline::http
