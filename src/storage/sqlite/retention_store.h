// The retention job's store (storage/retention_store.h) and a citizen's
// erasure (storage/citizen_erasure_store.h) in the case database, through
// one connection under a lock.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
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
  SqliteRetentionStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                       std::shared_ptr<const RowCipher> cipher);
  Result<std::vector<RetentionCandidate>> Candidates(const std::string& sql, Time before,
                                                     int64_t after_id, int limit);
  Status ForIds(const std::string& sql_with_one_id, const std::vector<int64_t>& ids);

  std::mutex mu_;  // the connection: HTTP threads and the retention timer share a store
  std::unique_ptr<sqlite::SqliteConnection> conn_;
  std::shared_ptr<const RowCipher> cipher_;
};

}  // namespace gosline
