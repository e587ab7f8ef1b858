#include "core/security/retention.h"

#include <algorithm>

namespace gosline::security {

const char* RetainedKindName(RetainedKind kind) {
  switch (kind) {
    case RetainedKind::kCallMetadata: return "call_metadata";
    case RetainedKind::kPersonalData: return "personal_data";
    case RetainedKind::kRecording: return "recording";
  }
  return "unknown";
}

Status ValidateRetentionPolicy(const RetentionPolicy& policy) {
  struct Item {
    const char* field;
    Duration value;
  };
  for (const Item& item : {Item{"retention.call_metadata", policy.call_metadata},
                           Item{"retention.personal_data", policy.personal_data},
                           Item{"retention.recording", policy.recording}}) {
    if (item.value < Days(1)) {
      return Status::InvalidArgument("retention period must be at least one day", item.field);
    }
  }
  return Status::Ok();
}

Duration RetentionPeriod(RetainedKind kind, const RetentionPolicy& policy) {
  switch (kind) {
    case RetainedKind::kCallMetadata: return policy.call_metadata;
    case RetainedKind::kPersonalData: return policy.personal_data;
    case RetainedKind::kRecording: return policy.recording;
  }
  return policy.recording;  // unreachable; the longest period is the safe one
}

std::optional<Time> RetentionDueAt(const RetainedRecord& record, const RetentionPolicy& policy) {
  if (record.tied_to_open_case) return std::nullopt;
  Time from = record.recorded_at;
  if (record.case_closed_at) from = std::max(from, *record.case_closed_at);
  return from + RetentionPeriod(record.kind, policy);
}

RetentionPlan PlanRetention(const std::vector<RetainedRecord>& records,
                            const RetentionPolicy& policy, Time now) {
  RetentionPlan plan;
  for (const RetainedRecord& r : records) {
    std::optional<Time> due = RetentionDueAt(r, policy);
    if (!due) continue;
    if (*due <= now) {
      plan.delete_ids.push_back(r.id);
    } else if (!plan.next_due || *due < *plan.next_due) {
      plan.next_due = *due;
    }
  }
  return plan;
}

}  // namespace gosline::security
