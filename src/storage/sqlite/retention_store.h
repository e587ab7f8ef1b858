// What the retention job (app/retention_job.h; R23) reads and deletes in the
// case database: call records, their recordings, and the personal data of
// cases that are done. It only lists candidates older than a cutoff; the
// rules (core/security/retention.h) decide.
//
// What a case keeps for statistics after its personal data is erased:
// number, channel, topic, agency, region, priority, status, times and the
// history's actions and actors. Erased: phone (and its lookup hash), portal
// account, summary and every history text. A call record is deleted; one
// with a recording only loses the caller's number and keys pressed until the
// recording's own period ends.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/sqlite/row_cipher.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

struct RetentionCandidate {
  int64_t id = 0;          // call_records.id or cases.id
  std::string ref;         // the call's SIP Call-ID or the case number (for audit)
  Time recorded_at{};      // call start, or the case's last change
  bool tied_to_open_case = false;
  std::optional<Time> case_closed_at;  // the linked case's last change, when done
  std::string recording_path;          // "" = none
};

class SqliteRetentionStore {
 public:
  // cipher: the stores' (row_cipher.h), for EraseCitizen's phone lookups;
  // a database with a key refuses to open without it.
  static Result<std::unique_ptr<SqliteRetentionStore>> Open(
      const std::string& path, std::shared_ptr<const sqlite::RowCipher> cipher = nullptr);
  ~SqliteRetentionStore();

  // Each lists up to `limit` candidates with id > after_id, by id (page on
  // with the last id returned).
  // Call records started at or before `before` that still hold the caller's number.
  Result<std::vector<RetentionCandidate>> CallRecordsBefore(Time before, int64_t after_id, int limit);
  // Call records started at or before `before` that have a recording.
  Result<std::vector<RetentionCandidate>> RecordingsBefore(Time before, int64_t after_id, int limit);
  // Resolved or closed cases last changed at or before `before` whose personal
  // data is not yet erased (recorded_at = case_closed_at = last change).
  Result<std::vector<RetentionCandidate>> DoneCasesBefore(Time before, int64_t after_id, int limit);

  Status DeleteCallRecords(const std::vector<int64_t>& ids);
  // Keeps the row for its recording; erases number, caller and keys.
  Status StripCallRecords(const std::vector<int64_t>& ids);
  Status EraseCasePersonalData(const std::vector<int64_t>& ids);

  // A citizen's deletion request (R24): everything held about a phone, in
  // one transaction: the personal data of its cases that are done, its call
  // records and consents. Open cases, and the request's own case
  // (keep_case_id), keep theirs until they close (then retention applies).
  struct CitizenErasure {
    std::vector<std::string> cases_erased;  // case numbers
    std::vector<std::string> cases_kept;    // open: numbers
    int64_t call_records_deleted = 0;
    int64_t consents_deleted = 0;
  };
  Result<CitizenErasure> EraseCitizen(const std::string& phone, int64_t keep_case_id);

 private:
  SqliteRetentionStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                       std::shared_ptr<const sqlite::RowCipher> cipher);
  Result<std::vector<RetentionCandidate>> Candidates(const std::string& sql, Time before,
                                                     int64_t after_id, int limit);
  Status ForIds(const std::string& sql_with_one_id, const std::vector<int64_t>& ids);

  std::unique_ptr<sqlite::SqliteConnection> conn_;
  std::shared_ptr<const sqlite::RowCipher> cipher_;
};

}  // namespace gosline
