// Idempotency keys (storage/idempotency_store.h) in the node's SQLite file.
#pragma once

#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/idempotency_store.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteIdempotencyStore final : public IdempotencyStore {
 public:
  static Result<std::unique_ptr<SqliteIdempotencyStore>> Open(const std::string& path);
  ~SqliteIdempotencyStore() override;

  Result<std::optional<IdempotencyRecord>> Claim(const std::string& scope, const std::string& key,
                                                 const std::string& request_hash, Time now,
                                                 Time expired_before) override;
  Status Complete(const std::string& scope, const std::string& key,
                  const StoredResponse& response) override;
  Status Release(const std::string& scope, const std::string& key) override;
  Result<int64_t> Purge(Time expired_before) override;

 private:
  explicit SqliteIdempotencyStore(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: HTTP threads; mu_ guards the connection (one statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
