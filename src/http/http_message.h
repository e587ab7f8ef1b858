// HTTP requests and responses as plain data. The server (http_server.cc) is
// the only translation unit that sees Boost.Beast; routes, the JSON codec and
// the OpenAPI generator work on these structs, which keeps the template-heavy
// code in one place and lets the router be tested without sockets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/status.h"

namespace gosline::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view ToString(Method m);  // "GET", "POST", ...; "OTHER" for kOther
Method ParseMethod(std::string_view s);

// Query parameters in arrival order (a repeated name appears twice, so the
// API can refuse ambiguity instead of silently picking one).
using QueryParams = std::vector<std::pair<std::string, std::string>>;
using PathParams = std::map<std::string, std::string>;

struct HttpRequest {
  Method method = Method::kGet;
  std::string method_name;   // as sent, for logs and kOther
  std::string path;          // raw (still percent-encoded) path, without the query
  QueryParams query;         // decoded
  // Header names lower-cased; a repeated header keeps the last value.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string request_id;    // X-Request-Id: the client's or a generated one
  PathParams path_params;    // decoded {name} values, filled by the router
  std::string remote_address;  // the peer's IP address, for lockout and audit
  // Who the authorizer established ("user:ivanova", "apikey:ab12..."); empty
  // on public routes and with the OpenAuthorizer. Handlers record it as the actor.
  std::string principal;
  std::string principal_role;  // "operator", ..., "integration"

  // Header value by case-insensitive name, or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  std::string body;
};

// The HTTP status for a Status code (see the comments in core/common/status.h).
int HttpStatusFor(const Status& status);

// {"error":{"code":"...","message":"...","field":"..."}}; "field" only when known.
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                           std::string_view field = {});
// Maps the Status to its HTTP status. Server-side failures (5xx) get a generic
// message so internal details (SQL, paths) never reach a client.
HttpResponse ErrorResponse(const Status& status);

HttpResponse JsonResponse(int http_status, const nlohmann::json& body);

// Splits "a=1&b=x%20y" into decoded pairs ('+' is a space). Fails on a bad
// percent escape or an encoded NUL.
Result<QueryParams> ParseQuery(std::string_view query);
// Decodes %XX escapes (not '+'). nullopt on a malformed escape or NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

}  // namespace gosline::http
