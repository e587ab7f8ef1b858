// Retention (storage/retention_store.h, R23) and citizens' deletion requests
// (storage/citizen_erasure_store.h, R24) on PostgreSQL: the same candidates
// and the same erasures as the SQLite engine, each write one transaction.
// Thread-safe: each call runs on its own pooled connection. Two nodes may
// run the retention job at once: erasing twice is harmless (the second
// finds nothing left to erase).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/citizen_erasure_store.h"
#include "storage/postgres/postgres_database.h"
#include "storage/retention_store.h"

namespace gosline {

class PostgresRetentionStore final : public RetentionStore, public CitizenErasureStore {
 public:
  explicit PostgresRetentionStore(std::shared_ptr<PostgresDatabase> db);

  Result<std::vector<RetentionCandidate>> CallRecordsBefore(Time before, int64_t after_id,
                                                            int limit) override;
  Result<std::vector<RetentionCandidate>> RecordingsBefore(Time before, int64_t after_id,
                                                           int limit) override;
  Result<std::vector<RetentionCandidate>> DoneCasesBefore(Time before, int64_t after_id,
                                                          int limit) override;
  Status DeleteCallRecords(const std::vector<int64_t>& ids) override;
  Status StripCallRecords(const std::vector<int64_t>& ids) override;
  Status EraseCasePersonalData(const std::vector<int64_t>& ids) override;

  Result<CitizenErasure> EraseCitizen(const std::string& phone, int64_t keep_case_id) override;

 private:
  Result<std::vector<RetentionCandidate>> Candidates(const char* statement, Time before,
                                                     int64_t after_id, int limit);
  // Runs each statement once with every id of `ids` ($1 bigint[]), in one transaction.
  Status ForIds(const std::vector<const char*>& statements, const std::vector<int64_t>& ids);

  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
