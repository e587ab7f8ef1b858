// The historical report's reader (storage/call_report_reader.h) on
// PostgreSQL: every node's calls, from the one database (R4, R18). One read
// transaction per report on a pooled connection; thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "storage/call_report_reader.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresCallReportReader final : public CallReportReader {
 public:
  explicit PostgresCallReportReader(std::shared_ptr<PostgresDatabase> db);

  Result<std::vector<stats::ReportCall>> Read(Time from, Time to, size_t max_rows) override;

 private:
  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
