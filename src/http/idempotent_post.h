// Idempotency-Key on the citizens' POSTs (R26): a client that did not get
// the answer sends the same request again with the same key and gets the
// first answer (Idempotent-Replayed: true), not a second callback. The same
// key with another body is a mistake (422); a retry while the first request
// still runs gets 409. Keys are per citizen, kept for 24 hours in the
// store (storage/idempotency_store.h). A 5xx answer is not kept: the retry
// runs the request again. Without the header the request simply runs.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/common/clock.h"
#include "http/http_message.h"
#include "storage/idempotency_store.h"

namespace gosline::http {

inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};
inline constexpr size_t kMaxIdempotencyKeyBytes = 255;

HttpResponse RunIdempotent(IdempotencyStore* store, const Clock& clock, const std::string& scope,
                           const HttpRequest& request, const std::function<HttpResponse()>& run);

}  // namespace gosline::http
