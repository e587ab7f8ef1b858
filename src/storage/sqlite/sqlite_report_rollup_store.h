// The reports' rollups (storage/report_rollup_store.h) in SQLite: the
// report_rollups table beside call_records (migration 9), recounted from the
// intervals the triggers mark. Its own connection (WAL readers do not block
// telephony's writer; a recount takes the write lock for one batch).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "core/stats/interval_rollup.h"
#include "storage/report_rollup_store.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
}

struct SqliteReportRollupOptions {
  stats::RollupSettings settings;
  // A call's agency: its case's, else its topic's default agency (config).
  std::map<std::string, std::string> topic_agency;
};

class SqliteReportRollupStore final : public ReportRollupStore {
 public:
  static Result<std::unique_ptr<SqliteReportRollupStore>> Open(const std::string& path,
                                                               SqliteReportRollupOptions options);
  ~SqliteReportRollupStore() override;
  SqliteReportRollupStore(const SqliteReportRollupStore&) = delete;
  SqliteReportRollupStore& operator=(const SqliteReportRollupStore&) = delete;

  Result<size_t> CatchUp() override GOSLINE_EXCLUDES(mu_);
  Result<size_t> Rebuild(Time from, Time to) override GOSLINE_EXCLUDES(mu_);
  Result<std::vector<stats::IntervalRow>> Read(const RollupQuery& q) override GOSLINE_EXCLUDES(mu_);

 private:
  SqliteReportRollupStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                          SqliteReportRollupOptions options);
  // Replaces the rows of the interval starting at `interval_ms` by a fresh count.
  Status Recount(int64_t interval_ms) GOSLINE_REQUIRES(mu_);

  const SqliteReportRollupOptions options_;
  // Threads: any; mu_ guards the connection (one statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
