// The JSON object of a request body, for routes that take one: 415 without
// an application/json Content-Type, 400 (with the field) for a body that is
// not one JSON object.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "http/http_message.h"

namespace gosline::http {

// Fills `out`, or returns the error response that refuses the body.
std::optional<HttpResponse> ReadJsonBody(const HttpRequest& req, nlohmann::json& out);

}  // namespace gosline::http
