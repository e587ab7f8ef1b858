// What the retention job (app/retention_job.h; R23) reads and deletes in the
// registry: call records, their recordings, and the personal data of cases
// that are done. It only lists candidates older than a cutoff; the rules
// (core/security/retention.h) decide. One interface for every engine.
//
// What a case keeps for statistics after its personal data is erased:
// number, channel, topic, agency, region, priority, status, times and the
// history's actions and actors. Erased: phone (and its lookup hash), portal
// account, summary and every history text. A call record is deleted; one
// with a recording only loses the caller's number and keys pressed until the
// recording's own period ends.
//
// Thread-safety: every method may be called from any thread; calls are
// serialised. Each write is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct RetentionCandidate {
  int64_t id = 0;          // the call record's or the case's id in the store
  std::string ref;         // the call's SIP Call-ID or the case number (for audit)
  Time recorded_at{};      // call start, or the case's last change
  bool tied_to_open_case = false;
  std::optional<Time> case_closed_at;  // the linked case's last change, when done
  std::string recording_path;          // "" = none
};

class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // Each lists up to `limit` candidates with id > after_id, by id (page on
  // with the last id returned).
  // Call records started at or before `before` that still hold the caller's number.
  virtual Result<std::vector<RetentionCandidate>> CallRecordsBefore(Time before, int64_t after_id,
                                                                    int limit) = 0;
  // Call records started at or before `before` that name a recording the
  // RecordingStore does not track (those it tracks go through it).
  virtual Result<std::vector<RetentionCandidate>> RecordingsBefore(Time before, int64_t after_id,
                                                                   int limit) = 0;
  // Resolved or closed cases last changed at or before `before` whose personal
  // data is not yet erased (recorded_at = case_closed_at = last change).
  virtual Result<std::vector<RetentionCandidate>> DoneCasesBefore(Time before, int64_t after_id,
                                                                  int limit) = 0;

  virtual Status DeleteCallRecords(const std::vector<int64_t>& ids) = 0;
  // Keeps the record for its recording; erases number, caller and keys.
  virtual Status StripCallRecords(const std::vector<int64_t>& ids) = 0;
  virtual Status EraseCasePersonalData(const std::vector<int64_t>& ids) = 0;
};

}  // namespace gosline
