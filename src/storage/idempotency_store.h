// Idempotency keys of the citizens' API (R26): a mobile app that lost the
// answer to a POST sends it again with the same Idempotency-Key header and
// gets the first answer, not a second callback or a second request. Keys are
// scoped (the citizen's account), remembered with a hash of the request and
// the response, and forgotten after 24 hours. Durable: a key claimed and
// answered before a crash still answers after it.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string location;  // the Location header, "" when none
};

struct IdempotencyRecord {
  std::string request_hash;
  std::optional<StoredResponse> response;  // nullopt while the first request still runs
  Time created_at{};
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // Claims (scope, key) for a request whose hash is `request_hash`.
  // nullopt: this call claimed it; run the request, then Complete or Release.
  // Otherwise the record already holding the key. A record created before
  // `expired_before` is dropped and the key claimed anew.
  virtual Result<std::optional<IdempotencyRecord>> Claim(const std::string& scope,
                                                          const std::string& key,
                                                          const std::string& request_hash, Time now,
                                                          Time expired_before) = 0;
  // Remembers the answer given to the claimed key.
  virtual Status Complete(const std::string& scope, const std::string& key,
                          const StoredResponse& response) = 0;
  // Gives the key up (the request failed on the server's side): a retry runs it again.
  virtual Status Release(const std::string& scope, const std::string& key) = 0;
  // Forgets every key created before `expired_before`; returns how many.
  virtual Result<int64_t> Purge(Time expired_before) = 0;
};

}  // namespace gosline
