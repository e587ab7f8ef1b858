#include "http/idempotent_post.h"

#include <spdlog/spdlog.h>

#include "security/sha256.h"

namespace gosline::http {
namespace {

std::string LocationOf(const HttpResponse& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Location") return value;
  }
  return "";
}

}  // namespace

HttpResponse RunIdempotent(IdempotencyStore* store, const Clock& clock, const std::string& scope,
                           const HttpRequest& request, const std::function<HttpResponse()>& run) {
  std::optional<std::string_view> header = request.Header("Idempotency-Key");
  if (!header) return run();
  const std::string key(*header);
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) {
    return ErrorResponse(400, "invalid_argument", "Idempotency-Key must be 1-255 characters",
                         "Idempotency-Key");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return ErrorResponse(400, "invalid_argument", "Idempotency-Key must be printable ASCII",
                           "Idempotency-Key");
    }
  }
  if (store == nullptr) return ErrorResponse(503, "unavailable", "idempotency keys are not set up");
  // The same key may only ever mean the same request.
  const std::string hash =
      security::Sha256Hex(std::string(ToString(request.method)) + " " + request.path + "\n" + request.body);
  const Time now = clock.Now();
  Result<std::optional<IdempotencyRecord>> claimed =
      store->Claim(scope, key, hash, now, now - kIdempotencyKeyLifetime);
  if (!claimed.ok()) return ErrorResponse(claimed.status());
  if (claimed->has_value()) {
    const IdempotencyRecord& first = **claimed;
    if (first.request_hash != hash) {
      return ErrorResponse(422, "idempotency_key_reused",
                           "this Idempotency-Key was used for another request", "Idempotency-Key");
    }
    if (!first.response) {
      return ErrorResponse(409, "conflict", "the first request with this Idempotency-Key is still running");
    }
    HttpResponse replay;
    replay.status = first.response->status;
    replay.content_type = first.response->content_type;
    replay.body = first.response->body;
    if (!first.response->location.empty()) replay.headers.emplace_back("Location", first.response->location);
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  HttpResponse response;
  try {
    response = run();
  } catch (...) {
    (void)store->Release(scope, key);  // the router answers 500; a retry runs again
    throw;
  }
  Status kept = response.status >= 500
                    ? store->Release(scope, key)
                    : store->Complete(scope, key,
                                      StoredResponse{response.status, response.content_type,
                                                     response.body, LocationOf(response)});
  if (!kept.ok()) spdlog::error("idempotency key not recorded: {}", kept.ToString());
  return response;
}

}  // namespace gosline::http
