// Deleting recordings (R23 retention, R24 a citizen's erasure): each file is
// removed, then the removed ones are marked deleted in the RecordingStore
// (which also clears the case links and the call record's path to them), and
// the caller audits which ones went. A file that cannot be removed keeps its
// row live, so the next run tries again.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/recording_store.h"

namespace gosline {

struct RecordingRemoval {
  RecordingStore* store = nullptr;
  // Removes a recording's file; NotFound counts as removed (already gone).
  std::function<Status(const std::string& file_name)> remove_file;

  bool enabled() const { return store != nullptr && static_cast<bool>(remove_file); }
};

struct RemovedRecordings {
  // "rec:<id> <file's name>" of each, for the audit record (no audio, no
  // caller: the name holds the case number and the call's SIP Call-ID).
  std::vector<std::string> deleted;
  std::vector<std::string> failed;
};

// Removes `recordings` through `removal` (which must be enabled) at `now`.
// An error is the store's; files already removed are then marked on the next try.
Result<RemovedRecordings> RemoveRecordings(const RecordingRemoval& removal,
                                           const std::vector<StoredRecording>& recordings, Time now);

// "<n> <what>: <ref> <ref> ..." with at most 200 refs listed, then a count.
std::string DescribeRefs(const std::string& what, const std::vector<std::string>& refs);

}  // namespace gosline
