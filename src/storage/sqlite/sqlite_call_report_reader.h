// The historical report's reader (storage/call_report_reader.h) in SQLite:
// the telephony columns plus what the contact centre wrote (migration 4).
// Its own read connection (WAL readers do not block the writers).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "core/stats/call_summary.h"
#include "storage/call_report_reader.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
}

class SqliteCallReportReader final : public CallReportReader {
 public:
  static Result<std::unique_ptr<SqliteCallReportReader>> Open(const std::string& path);
  ~SqliteCallReportReader() override;
  SqliteCallReportReader(const SqliteCallReportReader&) = delete;
  SqliteCallReportReader& operator=(const SqliteCallReportReader&) = delete;

  Result<std::vector<stats::ReportCall>> Read(Time from, Time to,
                                              size_t max_rows = kMaxRows) override
      GOSLINE_EXCLUDES(mu_);

 private:
  explicit SqliteCallReportReader(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: Read comes from any thread; mu_ guards the connection
  // (one query at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
