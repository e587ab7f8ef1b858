// Idempotency keys (storage/idempotency_store.h) on PostgreSQL, shared by
// every node: a retry that reaches another node gets the first answer too.
// Each call is one transaction on a pooled connection; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "storage/idempotency_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresIdempotencyStore final : public IdempotencyStore {
 public:
  explicit PostgresIdempotencyStore(std::shared_ptr<PostgresDatabase> db);

  Result<std::optional<IdempotencyRecord>> Claim(const std::string& scope, const std::string& key,
                                                 const std::string& request_hash, Time now,
                                                 Time expired_before) override;
  Status Complete(const std::string& scope, const std::string& key,
                  const StoredResponse& response) override;
  Status Release(const std::string& scope, const std::string& key) override;
  Result<int64_t> Purge(Time expired_before) override;

 private:
  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
