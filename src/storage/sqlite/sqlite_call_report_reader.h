// Reads call records for the historical report (R18; http/report_routes.h):
// the telephony columns plus what the contact centre wrote (migration 4),
// as the pure stats::ReportCall rows. Its own read connection (WAL readers
// do not block the writers).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/stats/call_summary.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
}

class SqliteCallReportReader {
 public:
  static Result<std::unique_ptr<SqliteCallReportReader>> Open(const std::string& path);
  ~SqliteCallReportReader();
  SqliteCallReportReader(const SqliteCallReportReader&) = delete;
  SqliteCallReportReader& operator=(const SqliteCallReportReader&) = delete;

  // Calls started in [from, to), oldest first. ResourceExhausted beyond
  // max_rows (ask for a shorter range).
  Result<std::vector<stats::ReportCall>> Read(Time from, Time to, size_t max_rows = 2'000'000);

 private:
  explicit SqliteCallReportReader(std::unique_ptr<sqlite::SqliteConnection> conn);
  std::mutex mu_;
  std::unique_ptr<sqlite::SqliteConnection> conn_;
};

}  // namespace gosline
