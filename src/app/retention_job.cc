#include "app/retention_job.h"

#include "app/recording_removal.h"

#include <unordered_map>
#include <vector>

namespace gosline {
namespace {

using security::RetainedKind;
using security::RetainedRecord;

// Ids in an audit detail: at most this many listed, then a count.
constexpr size_t kMaxListedIds = 200;

std::string Describe(const std::string& what, const std::vector<std::string>& refs) {
  std::string out = std::to_string(refs.size()) + " " + what + ":";
  for (size_t i = 0; i < refs.size() && i < kMaxListedIds; ++i) out += " " + refs[i];
  if (refs.size() > kMaxListedIds) out += " (+" + std::to_string(refs.size() - kMaxListedIds) + " more)";
  return out;
}

// The candidates the rules say are due at `now`.
std::vector<const RetentionCandidate*> Due(const std::vector<RetentionCandidate>& candidates,
                                           RetainedKind kind,
                                           const security::RetentionPolicy& policy, Time now) {
  std::vector<RetainedRecord> records;
  records.reserve(candidates.size());
  for (const RetentionCandidate& c : candidates) {
    records.push_back({std::to_string(c.id), kind, c.recorded_at, c.tied_to_open_case,
                       c.case_closed_at});
  }
  security::RetentionPlan plan = security::PlanRetention(records, policy, now);
  std::unordered_map<std::string, const RetentionCandidate*> by_id;
  for (const RetentionCandidate& c : candidates) by_id[std::to_string(c.id)] = &c;
  std::vector<const RetentionCandidate*> out;
  for (const std::string& id : plan.delete_ids) out.push_back(by_id.at(id));
  return out;
}

}  // namespace

security::RetentionPolicy RetentionPolicyFromDays(int call_metadata_days, int personal_data_days,
                                                  int recording_days) {
  security::RetentionPolicy p;
  p.call_metadata = security::Days(call_metadata_days);
  p.personal_data = security::Days(personal_data_days);
  p.recording = security::Days(recording_days);
  return p;
}

RetentionJob::RetentionJob(RetentionStore& store, security::RetentionPolicy policy,
                           RemoveRecordingFn remove_recording, AuditFn audit, int batch,
                           RecordingStore* recordings)
    : store_(store),
      recordings_(recordings),
      policy_(policy),
      remove_recording_(std::move(remove_recording)),
      audit_(std::move(audit)),
      batch_(std::max(1, batch)) {}

Result<RetentionReport> RetentionJob::RunOnce(Time now) {
  GOSLINE_RETURN_IF_ERROR(security::ValidateRetentionPolicy(policy_));
  RetentionReport report;
  // Recordings first: a call past its recording period goes as a whole.
  GOSLINE_RETURN_IF_ERROR(Recordings(now, report));
  GOSLINE_RETURN_IF_ERROR(CallRecords(now, report));
  GOSLINE_RETURN_IF_ERROR(Cases(now, report));
  return report;
}

Status RetentionJob::TrackedRecordings(Time now, RetentionReport& report) {
  const RecordingRemoval removal{
      recordings_, [this](const std::string& file) {
        return remove_recording_ ? remove_recording_(file) : Status::Ok();
      }};
  for (int64_t after = 0;;) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<StoredRecording> batch,
        recordings_->LiveBefore(now - policy_.recording, after, batch_));
    if (batch.empty()) return Status::Ok();
    after = batch.back().id;
    // Five years from when it was made; kept while its case is open.
    std::vector<RetainedRecord> records;
    for (const StoredRecording& r : batch) {
      records.push_back({std::to_string(r.id), RetainedKind::kRecording, r.created, r.case_open, {}});
    }
    const security::RetentionPlan plan = security::PlanRetention(records, policy_, now);
    std::vector<StoredRecording> due;
    for (const StoredRecording& r : batch) {
      for (const std::string& id : plan.delete_ids) {
        if (id == std::to_string(r.id)) due.push_back(r);
      }
    }
    GOSLINE_ASSIGN_OR_RETURN(RemovedRecordings removed, RemoveRecordings(removal, due, now));
    if (!removed.deleted.empty()) {
      audit_("retention.recordings", DescribeRefs("recordings deleted", removed.deleted));
    }
    if (!removed.failed.empty()) {
      audit_("retention.recordings_failed",
             DescribeRefs("recordings that could not be removed", removed.failed));
    }
    report.recordings_deleted += static_cast<int64_t>(removed.deleted.size());
    report.recordings_failed += static_cast<int64_t>(removed.failed.size());
    if (batch.size() < static_cast<size_t>(batch_)) return Status::Ok();
  }
}

Status RetentionJob::Recordings(Time now, RetentionReport& report) {
  if (recordings_ != nullptr) GOSLINE_RETURN_IF_ERROR(TrackedRecordings(now, report));
  // Recordings a call record names that no row tracks (none once migration
  // 7 has carried them over, unless written by hand): file and call record go.
  for (int64_t after = 0;;) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<RetentionCandidate> batch,
        store_.RecordingsBefore(now - policy_.recording, after, batch_));
    if (batch.empty()) return Status::Ok();
    after = batch.back().id;
    std::vector<int64_t> ids;
    std::vector<std::string> refs, failed;
    for (const RetentionCandidate* c : Due(batch, RetainedKind::kRecording, policy_, now)) {
      Status removed = remove_recording_ ? remove_recording_(c->recording_path) : Status::Ok();
      if (!removed.ok() && removed.code() != Status::Code::kNotFound) {
        failed.push_back(std::to_string(c->id));  // row kept: tried again next run
        continue;
      }
      ids.push_back(c->id);
      refs.push_back(std::to_string(c->id));
    }
    GOSLINE_RETURN_IF_ERROR(store_.DeleteCallRecords(ids));
    if (!refs.empty()) {
      audit_("retention.recordings", Describe("recordings deleted with their call records", refs));
    }
    if (!failed.empty()) {
      audit_("retention.recordings_failed", Describe("recordings that could not be removed", failed));
    }
    report.recordings_deleted += static_cast<int64_t>(ids.size());
    report.recordings_failed += static_cast<int64_t>(failed.size());
    if (batch.size() < static_cast<size_t>(batch_)) return Status::Ok();
  }
}

Status RetentionJob::CallRecords(Time now, RetentionReport& report) {
  for (int64_t after = 0;;) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<RetentionCandidate> batch,
        store_.CallRecordsBefore(now - policy_.call_metadata, after, batch_));
    if (batch.empty()) return Status::Ok();
    after = batch.back().id;
    std::vector<int64_t> remove, strip;
    std::vector<std::string> removed_refs, stripped_refs;
    for (const RetentionCandidate* c : Due(batch, RetainedKind::kCallMetadata, policy_, now)) {
      (c->recording_path.empty() ? remove : strip).push_back(c->id);
      (c->recording_path.empty() ? removed_refs : stripped_refs).push_back(std::to_string(c->id));
    }
    GOSLINE_RETURN_IF_ERROR(store_.DeleteCallRecords(remove));
    GOSLINE_RETURN_IF_ERROR(store_.StripCallRecords(strip));
    if (!remove.empty()) audit_("retention.call_records", Describe("call records deleted", removed_refs));
    if (!strip.empty()) {
      audit_("retention.call_records",
             Describe("call records kept for their recording, caller erased", stripped_refs));
    }
    report.call_records_deleted += static_cast<int64_t>(remove.size());
    report.call_records_stripped += static_cast<int64_t>(strip.size());
    if (batch.size() < static_cast<size_t>(batch_)) return Status::Ok();
  }
}

Status RetentionJob::Cases(Time now, RetentionReport& report) {
  for (int64_t after = 0;;) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<RetentionCandidate> batch,
        store_.DoneCasesBefore(now - policy_.personal_data, after, batch_));
    if (batch.empty()) return Status::Ok();
    after = batch.back().id;
    std::vector<int64_t> ids;
    std::vector<std::string> numbers;
    for (const RetentionCandidate* c : Due(batch, RetainedKind::kPersonalData, policy_, now)) {
      ids.push_back(c->id);
      numbers.push_back(c->ref);
    }
    GOSLINE_RETURN_IF_ERROR(store_.EraseCasePersonalData(ids));
    if (!ids.empty()) audit_("retention.cases", Describe("cases' personal data erased", numbers));
    report.cases_erased += static_cast<int64_t>(ids.size());
    if (batch.size() < static_cast<size_t>(batch_)) return Status::Ok();
  }
}

}  // namespace gosline
