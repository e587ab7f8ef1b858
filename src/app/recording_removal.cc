#include "app/recording_removal.h"

namespace gosline {
namespace {

// Refs in an audit detail: at most this many listed, then a count.
constexpr size_t kMaxListedRefs = 200;

std::string RefOf(const StoredRecording& r) {
  const size_t slash = r.file_name.find_last_of('/');
  return "rec:" + std::to_string(r.id) + " " +
         (slash == std::string::npos ? r.file_name : r.file_name.substr(slash + 1));
}

}  // namespace

Result<RemovedRecordings> RemoveRecordings(const RecordingRemoval& removal,
                                           const std::vector<StoredRecording>& recordings, Time now) {
  if (!removal.enabled()) return Status::FailedPrecondition("recordings cannot be removed here");
  RemovedRecordings out;
  std::vector<int64_t> ids;
  for (const StoredRecording& r : recordings) {
    const Status removed = removal.remove_file(r.file_name);
    if (!removed.ok() && removed.code() != Status::Code::kNotFound) {
      out.failed.push_back(RefOf(r));  // row kept live: tried again next time
      continue;
    }
    ids.push_back(r.id);
    out.deleted.push_back(RefOf(r));
  }
  GOSLINE_RETURN_IF_ERROR(removal.store->MarkDeleted(ids, now));
  return out;
}

std::string DescribeRefs(const std::string& what, const std::vector<std::string>& refs) {
  std::string out = std::to_string(refs.size()) + " " + what + ":";
  for (size_t i = 0; i < refs.size() && i < kMaxListedRefs; ++i) out += " " + refs[i];
  if (refs.size() > kMaxListedRefs) out += " (+" + std::to_string(refs.size() - kMaxListedRefs) + " more)";
  return out;
}

}  // namespace gosline
