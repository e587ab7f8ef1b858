// The recordings of every leg (storage/recording_store.h) in the case
// database's `recordings` table (migration 7).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/recording_store.h"

namespace gosline::sqlite {
class SqliteConnection;
class Statement;
}  // namespace gosline::sqlite

namespace gosline {

class SqliteRecordingStore final : public RecordingStore {
 public:
  static Result<std::unique_ptr<SqliteRecordingStore>> Open(const std::string& path);
  ~SqliteRecordingStore() override;

  Result<StoredRecording> Add(StoredRecording recording) override;
  Result<std::vector<StoredRecording>> LiveOf(const std::vector<std::string>& call_ids,
                                              const std::vector<std::string>& case_numbers) override;
  Result<std::vector<StoredRecording>> LiveBefore(Time before, int64_t after_id, int limit) override;
  Status MarkDeleted(const std::vector<int64_t>& ids, Time at) override;

 private:
  explicit SqliteRecordingStore(std::unique_ptr<sqlite::SqliteConnection> conn);
  Result<std::vector<StoredRecording>> Rows(sqlite::Statement& st) GOSLINE_REQUIRES(mu_);

  // Threads: any; mu_ guards the connection (one statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
