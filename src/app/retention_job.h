// The retention job (R23): once per run, at a time passed in (serve runs it
// hourly on a timer; `gosline retention run [--now ...]` once), it
//  - deletes call records older than the call-metadata period whose call is
//    not tied to an open case (one with a recording only loses the caller's
//    number and keys until the recording's period ends),
//  - erases the personal data of resolved and closed cases once the personal-
//    data period has passed since their last change (what a case keeps for
//    statistics: storage/retention_store.h),
//  - deletes recordings after the recording period: with a RecordingStore,
//    every leg's recording (file removed, row marked deleted, case links and
//    the call record's path cleared, R24/R23); then any recording a call
//    record names that the store does not track (file, then row).
// The rules are core/security/retention.h. Each deletion is reported to the
// audit callback with counts and ids (and the recordings' file names), never
// the data.
#pragma once

#include <functional>
#include <string>

#include "core/common/status.h"
#include "core/common/time.h"
#include "core/security/retention.h"
#include "storage/recording_store.h"
#include "storage/retention_store.h"

namespace gosline {

struct RetentionReport {
  int64_t call_records_deleted = 0;
  int64_t call_records_stripped = 0;  // kept for their recording, number erased
  int64_t cases_erased = 0;
  int64_t recordings_deleted = 0;
  int64_t recordings_failed = 0;      // file could not be removed: row kept, retried next run
};

class RetentionJob {
 public:
  // action ("retention.call_records", ...), detail ("3 deleted: ids 4 9 12").
  using AuditFn = std::function<void(const std::string& action, const std::string& detail)>;
  // Removes a recording file; NotFound counts as removed.
  using RemoveRecordingFn = std::function<Status(const std::string& path)>;

  // `recordings` may be null (only the recordings call records name are found).
  RetentionJob(RetentionStore& store, security::RetentionPolicy policy,
               RemoveRecordingFn remove_recording, AuditFn audit, int batch = 1000,
               RecordingStore* recordings = nullptr);

  Result<RetentionReport> RunOnce(Time now);

 private:
  Status CallRecords(Time now, RetentionReport& report);
  Status Cases(Time now, RetentionReport& report);
  Status Recordings(Time now, RetentionReport& report);
  Status TrackedRecordings(Time now, RetentionReport& report);

  RetentionStore& store_;
  RecordingStore* recordings_;
  security::RetentionPolicy policy_;
  RemoveRecordingFn remove_recording_;
  AuditFn audit_;
  int batch_;
};

// Policy from days (config: security.retention).
security::RetentionPolicy RetentionPolicyFromDays(int call_metadata_days, int personal_data_days,
                                                  int recording_days);

}  // namespace gosline
