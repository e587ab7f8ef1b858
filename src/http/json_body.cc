#include "http/json_body.h"

#include <utility>

#include "http/json_codec.h"

namespace gosline::http {

std::optional<HttpResponse> ReadJsonBody(const HttpRequest& req, nlohmann::json& out) {
  auto content_type = req.Header("Content-Type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return ErrorResponse(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  Result<nlohmann::json> parsed = ParseJsonObject(req.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  out = std::move(parsed).value();
  return std::nullopt;
}

}  // namespace gosline::http
