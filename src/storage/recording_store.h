// Every recording of every leg of a call (R22-R24, R30): one row per file the
// telephony wrote, so that erasure and retention find each of them (a
// transferred call has one per operator) even once the call record that
// named the last one is gone. One interface for every engine.
//
// Deleting a recording is: the file removed (by the caller of this store),
// then MarkDeleted, which keeps the row (when, which file: the audit trail)
// and removes what still pointed at the file: the case links of kind
// "recording" (made "recording_deleted" with no ref, so playback no longer
// finds them) and the call record's recording path.
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

struct StoredRecording {
  int64_t id = 0;
  std::string call_id;      // the caller's SIP Call-ID
  std::string case_number;  // the case the call was filed in ("" none)
  int leg = 1;              // 1: the first operator's; 2, 3, ...: after each transfer
  std::string file_name;    // the file as telephony reported it (inside the recordings folder)
  Time created{};
  std::string sealed_key_id;  // the data key it is sealed under; "" in clear or unknown
  int64_t size_bytes = 0;
  std::optional<Time> deleted_at;
  // Read only: whether its case is still open (retention keeps those).
  bool case_open = false;
};

class RecordingStore {
 public:
  virtual ~RecordingStore() = default;

  // Stores `recording` (id, deleted_at and case_open ignored); returns it with its id.
  virtual Result<StoredRecording> Add(StoredRecording recording) = 0;
  // The recordings not yet deleted of any of these calls or cases, by id.
  virtual Result<std::vector<StoredRecording>> LiveOf(const std::vector<std::string>& call_ids,
                                                      const std::vector<std::string>& case_numbers) = 0;
  // Up to `limit` recordings not yet deleted, created at or before `before`,
  // with id > after_id, by id (page on with the last id returned).
  virtual Result<std::vector<StoredRecording>> LiveBefore(Time before, int64_t after_id,
                                                          int limit) = 0;
  // Marks them deleted at `at` and removes what pointed at their files (above).
  virtual Status MarkDeleted(const std::vector<int64_t>& ids, Time at) = 0;
};

}  // namespace gosline
