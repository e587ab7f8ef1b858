#include "storage/postgres/postgres_call_report_reader.h"

#include <optional>
#include <string>
#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

constexpr const char* kRange = "gosline_report_range";

std::optional<Duration> Millis(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return Duration(f.as<int64_t>());
}

}  // namespace

PostgresCallReportReader::PostgresCallReportReader(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  // caller_hmac: a stable key of the number (the number itself may be
  // sealed). One row past the limit tells that the range is too long
  // without reading all of it.
  db_->pool().Prepare(kRange,
                      "SELECT started_at_ms, queue, topic, COALESCE(region, ''), "
                      "COALESCE(caller_hmac, ''), outcome, wait_ms, talk_ms, wrap_up_ms "
                      "FROM call_records WHERE started_at_ms >= $1 AND started_at_ms < $2 "
                      "ORDER BY started_at_ms, id LIMIT $3");
}

Result<std::vector<stats::ReportCall>> PostgresCallReportReader::Read(Time from, Time to,
                                                                      size_t max_rows) {
  std::vector<stats::ReportCall> out;
  Status st = db_->pool().Run(
      postgres::ConnectionPool::Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
        out.clear();
        pqxx::result rows = tx.exec_prepared(kRange, ToUnixMillis(from), ToUnixMillis(to),
                                             static_cast<int64_t>(max_rows) + 1);
        if (rows.size() > max_rows) {
          return Status::ResourceExhausted("more than " + std::to_string(max_rows) +
                                           " calls in the range; ask for a shorter one");
        }
        out.reserve(rows.size());
        for (const pqxx::row& s : rows) {
          stats::ReportCall c;
          c.started = FromUnixMillis(s[0].as<int64_t>());
          c.queue = s[1].as<std::string>();
          c.topic = s[2].as<std::string>();
          c.region = s[3].as<std::string>();
          c.caller = s[4].as<std::string>();
          c.outcome = s[5].as<std::string>();
          c.wait = Millis(s[6]);
          c.talk = Millis(s[7]);
          c.wrap_up = Millis(s[8]);
          out.push_back(std::move(c));
        }
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return out;
}

}  // namespace gosline
