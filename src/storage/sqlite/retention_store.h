// The retention job's store (storage/retention_store.h) and a citizen's
// erasure (storage/citizen_erasure_store.h) in the case database, through
// one connection under a lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "storage/citizen_erasure_store.h"
#include "storage/retention_store.h"
#include "storage/row_cipher.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteRetentionStore final : public RetentionStore, public CitizenErasureStore {
 public:
  // cipher: the stores' (row_cipher.h), for EraseCitizen's phone lookups;
  // a database with a key refuses to open without it.
  static Result<std::unique_ptr<SqliteRetentionStore>> Open(
      const std::string& path, std::shared_ptr<const RowCipher> cipher = nullptr);
  ~SqliteRetentionStore() override;

  Result<std::vector<RetentionCandidate>> CallRecordsBefore(Time before, int64_t after_id,
                                                            int limit) override
      GOSLINE_EXCLUDES(mu_);
  Result<std::vector<RetentionCandidate>> RecordingsBefore(Time before, int64_t after_id,
                                                           int limit) override
      GOSLINE_EXCLUDES(mu_);
  Result<std::vector<RetentionCandidate>> DoneCasesBefore(Time before, int64_t after_id,
                                                          int limit) override
      GOSLINE_EXCLUDES(mu_);
  Status DeleteCallRecords(const std::vector<int64_t>& ids) override GOSLINE_EXCLUDES(mu_);
  Status StripCallRecords(const std::vector<int64_t>& ids) override GOSLINE_EXCLUDES(mu_);
  Status EraseCasePersonalData(const std::vector<int64_t>& ids) override GOSLINE_EXCLUDES(mu_);

  Result<CitizenErasure> EraseCitizen(const std::string& phone, int64_t keep_case_id) override
      GOSLINE_EXCLUDES(mu_);

 private:
  SqliteRetentionStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                       std::shared_ptr<const RowCipher> cipher);
  Result<std::vector<RetentionCandidate>> Candidates(const std::string& sql, Time before,
                                                     int64_t after_id, int limit)
      GOSLINE_EXCLUDES(mu_);
  Status ForIds(const std::string& sql_with_one_id, const std::vector<int64_t>& ids)
      GOSLINE_EXCLUDES(mu_);

  // Threads: the HTTP threads (a citizen's erasure) and the retention timer
  // share a store; mu_ guards the connection (one statement or transaction
  // at a time); the cipher is immutable.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
  std::shared_ptr<const RowCipher> cipher_;
};

}  // namespace gosline
